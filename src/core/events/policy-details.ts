import { detailTypes } from '../names.js';
import type { EmitRequest } from '../workflow-state.js';
import { type BuiltEvent, commonDetail } from './event-common.js';

/** One Auto-Cancelled or Reprioritized event per action the policy decided at the last poll. */
export function buildPolicyEvents(request: EmitRequest, stage: string, now: Date): BuiltEvent[] {
  const { state } = request;
  const progress = state.progress;
  if (!progress) return [];
  return progress.actions.map((action, index) => {
    const common = commonDetail(state, `${request.step}:${progress.polls}:${index}`, stage, now);
    if (action.kind === 'cancel') {
      return {
        detailType: detailTypes.autoCancelled,
        detail: {
          ...common,
          failureRate: action.figures.failureRate,
          tasksRun: action.figures.tasksRun,
          failedTasks: action.figures.failedTasks,
          threshold: action.figures.threshold,
          ...(action.figures.maxFailedTasks !== undefined
            ? { maxFailedTasks: action.figures.maxFailedTasks }
            : {}),
          reason: action.reason,
          dryRun: action.dryRun,
        },
      };
    }
    return {
      detailType: detailTypes.reprioritized,
      detail: {
        ...common,
        fromPriority: action.from,
        toPriority: action.to,
        reason: action.reason,
        failureRate: progress.failureRate,
        dryRun: action.dryRun,
      },
    };
  });
}
