/**
 * A campaign run's id and its children's execution names. The id is the campaign and the minute the run is
 * for, so every trigger of one scheduled time (a Scheduler retry, a second deployment's schedule, a manual
 * rerun of that time) names the same run, and the run is claimed once (claim-run.ts).
 */

/** The state bucket's folder of run claims (the IAM table and the bucket's lifecycle rule name it too). */
export const campaignRunsFolder = 'campaign-runs';

/** Step Functions execution names are 1-80 characters (StartExecution `name`). */
export const maxExecutionName = 80;

/** `2026-03-01T03:00:00Z` -> `20260301T0300Z` (UTC, to the minute). */
export function runTimestamp(time: Date): string {
  const iso = time.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}

export const runIdFor = (campaign: string, scheduledTime: Date): string =>
  `${campaign}-${runTimestamp(scheduledTime)}`;

/** `<runId>-<target>`: at most 40 + 15 + 21 = 76 characters (the schema bounds both names). */
export function childExecutionName(runId: string, target: string): string {
  const name = `${runId}-${target}`;
  if (name.length > maxExecutionName) {
    throw new Error(`execution name ${name} is longer than ${maxExecutionName} characters`);
  }
  return name;
}

/** Where a run's claim is kept in the stage's state bucket. */
export const claimKeyFor = (campaign: string, runId: string): string =>
  `${campaignRunsFolder}/${campaign}/${runId}.json`;
