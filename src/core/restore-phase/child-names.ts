/**
 * Names of restore-then's child executions: `<runId>-<target>-restore` and `<runId>-<target>-then`. The name
 * makes the start idempotent (Step Functions returns the running execution for the same name and input), so
 * it must be the same on every retry, and at most 80 characters (StartExecution `name`). A campaign name of
 * 40 characters, its 14-character time and a 20-character target do not fit with the suffix: such a name
 * keeps its beginning and the suffix and replaces the rest with a hash of the whole, so it stays unique.
 */
import { createHash } from 'node:crypto';

export const maxExecutionNameLength = 80;

export function childExecutionName(runId: string, target: string, suffix: 'restore' | 'then'): string {
  const full = `${runId}-${target}-${suffix}`;
  if (full.length <= maxExecutionNameLength) return full;
  const hash = createHash('sha256').update(`${runId}\n${target}`).digest('hex').slice(0, 12);
  const keep = maxExecutionNameLength - suffix.length - hash.length - 2;
  return `${`${runId}-${target}`.slice(0, keep)}-${hash}-${suffix}`;
}
