/**
 * The Wait between two CheckRestores polls. Restores take hours (restore-times.ts), so polling starts at
 * 5 minutes and doubles up to an hour; it never sleeps past the deadline, so the last poll happens on time.
 */

export const firstWaitSeconds = 300;
export const maxWaitSeconds = 3600;

export function nextWaitSeconds(previousWaitSeconds: number | undefined, secondsToDeadline: number): number {
  const grown =
    previousWaitSeconds === undefined ? firstWaitSeconds : Math.min(previousWaitSeconds * 2, maxWaitSeconds);
  return Math.max(1, Math.min(grown, Math.ceil(secondsToDeadline)));
}
