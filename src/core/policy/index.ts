/** Failure-rate and deadline policies: validation, defaults and the per-poll decision. */
export {
  type CancelAction,
  decidePolicyActions,
  formatRate,
  initialReprioritizeState,
  type PolicyAction,
  type PolicyDecision,
  type PolicyInput,
  type ReprioritizeAction,
  type ReprioritizeState,
} from './decide.js';
export { type ResolvedPolicy, resolvePolicy, validatePolicy } from './policy-settings.js';
