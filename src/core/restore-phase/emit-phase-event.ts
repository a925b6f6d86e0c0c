import type { EmitPhaseEventInput } from '../../generated/types.js';
import {
  validateCampaignPhaseCompletedDetail,
  validateCampaignPhaseStartedDetail,
} from '../../generated/validators.js';
import { type EmitDeps, emitEvents } from '../events/emit-events.js';
import { detailTypes } from '../names.js';
import { buildPhaseEvent } from './phase-events.js';

const phaseValidators = {
  [detailTypes.campaignPhaseStarted]: validateCampaignPhaseStartedDetail,
  [detailTypes.campaignPhaseCompleted]: validateCampaignPhaseCompletedDetail,
};

/** Builds one phase event from the restore-then state and emits it (emitEvents: schema check, delivery). */
export async function emitPhaseEvent(
  deps: EmitDeps,
  request: EmitPhaseEventInput,
): Promise<{ sent: number; eventIds: string[] }> {
  const event = buildPhaseEvent(request, deps.config.stage, deps.clock.now());
  return emitEvents(deps, phaseValidators, [event], [request.state.execution.arn]);
}
