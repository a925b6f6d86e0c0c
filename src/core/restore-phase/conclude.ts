/**
 * The restore-then machine's output (the Conclude task), which the campaign machine aggregates per target:
 *
 * `{ outcome, reason?, restore, then?, restored, notRestored, restoreFailed, phases: { restore, then? } }`
 *
 * - `restore` / `then`: the child batch-job execution's output (its final state document), or
 *   `{ error, cause }` when it failed;
 * - `outcome`: the restore phase's when it did not get through (Failed, Cancelled, Rejected, TimedOut; no
 *   phase 2 then); without `then`, the restore phase's; phase 2 requested but nothing restored: Failed
 *   (Succeeded when there was nothing to restore); otherwise phase 2's failure, or Succeeded when both phases
 *   succeeded, PartialFailure when either left something undone.
 *
 * The machine succeeds with this output whatever the outcome: a job that ended badly is an outcome the
 * campaign reports, not an orchestration failure.
 */
import type { CampaignPhaseOutcome, RestoreThenState } from '../../generated/types.js';
import {
  childFailureOf,
  type RestorePhaseResult,
  restorePhaseResult,
  type ThenPhaseResult,
  thenPhaseResult,
} from './phase-results.js';

export interface RestoreThenOutput {
  outcome: CampaignPhaseOutcome;
  reason?: string;
  restore: unknown;
  then?: unknown;
  restored: number;
  notRestored: number;
  restoreFailed: number;
  phases: { restore: RestorePhaseResult; then?: ThenPhaseResult };
}

const ended = (outcome: CampaignPhaseOutcome): boolean =>
  outcome === 'Succeeded' || outcome === 'PartialFailure';

export function concludeRestoreThen(state: RestoreThenState): RestoreThenOutput {
  const restorePhase = restorePhaseResult(state);
  const thenPhase = thenPhaseResult(state);
  const restore = state.restoreRun?.Output ?? (state.restoreError ? failureOutput(state.restoreError) : null);
  const then = state.thenRun?.Output ?? (state.thenError ? failureOutput(state.thenError) : undefined);
  const base = {
    restore,
    ...(then === undefined ? {} : { then }),
    restored: restorePhase.restored,
    notRestored: restorePhase.notRestored,
    restoreFailed: restorePhase.restoreFailed,
    // biome-ignore lint/suspicious/noThenProperty: phase 2 is `then` (campaign design); an object, never thenable.
    phases: { restore: restorePhase, ...(thenPhase ? { then: thenPhase } : {}) },
  };
  const withOutcome = (outcome: CampaignPhaseOutcome, reason?: string): RestoreThenOutput => ({
    outcome,
    ...(reason ? { reason } : {}),
    ...base,
  });

  if (!ended(restorePhase.outcome) || state.input.then === undefined) {
    return withOutcome(restorePhase.outcome, restorePhase.reason);
  }
  if (thenPhase === undefined) {
    return restorePhase.total === 0
      ? withOutcome('Succeeded', 'the restore job had no object to restore: phase 2 did not run')
      : withOutcome(
          'Failed',
          `no object was restored by the deadline: phase 2 did not run (${restorePhase.reason})`,
        );
  }
  if (!ended(thenPhase.outcome)) return withOutcome(thenPhase.outcome, thenPhase.reason);
  const reasons = [restorePhase.reason, thenPhase.reason].filter(
    (text): text is string => text !== undefined,
  );
  return restorePhase.outcome === 'Succeeded' && thenPhase.outcome === 'Succeeded'
    ? withOutcome('Succeeded')
    : withOutcome('PartialFailure', reasons.join('; '));
}

function failureOutput(caught: { Error: string; Cause?: string }): { error: string; cause?: string } {
  const child = childFailureOf(caught);
  return { error: child.error, ...(child.cause === undefined ? {} : { cause: child.cause }) };
}
