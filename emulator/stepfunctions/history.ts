import type { HistoryEvent } from './store.js';

/** Step Functions' execution history limit (Step Functions quotas). */
export const HISTORY_EVENT_LIMIT = 25_000;

/** The HistoryEvent member that carries an event type's details (`TaskStateEntered` → `stateEnteredEventDetails`). */
export function detailsKeyFor(type: string): string | undefined {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  if (type === 'LambdaFunctionStarted') return undefined;
  return `${type[0]!.toLowerCase()}${type.slice(1)}EventDetails`;
}

/** The `inputDetails` / `outputDetails` AWS attaches to JSON payloads in history (the emulator never truncates). */
export const NOT_TRUNCATED = { truncated: false } as const;

export function buildEvent(
  id: number,
  timestamp: number,
  type: string,
  details: Record<string, unknown> | undefined,
): HistoryEvent {
  const event: HistoryEvent = { timestamp, type, id, previousEventId: id - 1 };
  const key = detailsKeyFor(type);
  if (key && details) event[key] = details;
  return event;
}

const DATA_FIELDS = ['input', 'output', 'parameters'];

/** The API shape: epoch seconds, and without inputs/outputs when `includeExecutionData` is false. */
export function renderEvent(event: HistoryEvent, includeExecutionData: boolean): Record<string, unknown> {
  const rendered: Record<string, unknown> = { ...event, timestamp: event.timestamp / 1000 };
  if (!includeExecutionData) {
    for (const [key, value] of Object.entries(rendered)) {
      if (!key.endsWith('EventDetails') || typeof value !== 'object' || value === null) continue;
      const details = { ...(value as Record<string, unknown>) };
      for (const field of DATA_FIELDS) delete details[field];
      rendered[key] = details;
    }
  }
  return rendered;
}
