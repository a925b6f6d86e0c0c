/**
 * Which failed tasks a redrive resubmits. `policy.redrive.errorCodes` lists what qualifies; each entry is
 * matched against one column of the report row:
 *
 * - `5xx` (any case; likewise `4xx`…): a pseudo code for an HTTP status class, matched against the
 *   HTTPStatusCode column, so server-side failures qualify whatever error code S3 wrote with them.
 * - digits only (`503`): that exact HTTP status. The report's ErrorCode column is never numeric (the
 *   row parser takes the numeric column for the status), so a number cannot collide with a code.
 * - anything else (`SlowDown`): the ErrorCode column, compared exactly (AWS error codes are case-sensitive).
 */
import { jobRequestDefaults } from '../../generated/constants.js';
import type { ReportRowFields } from '../report/result-rows.js';

/**
 * Used when `policy.redrive.errorCodes` is absent: transient failures only. Defined once, as the schema's
 * default of RedrivePolicy.errorCodes (schemas/job-request.schema.json says why these codes), which
 * SubmitJob fills into every redrive policy; read here for aggregates over a policy without a redrive
 * section.
 */
export const defaultRedriveErrorCodes: readonly string[] = jobRequestDefaults.RedrivePolicy.errorCodes;

/** The fields eligibility reads; a parser's reused row view qualifies too. */
export type EligibilityFields = Pick<ReportRowFields, 'errorCode' | 'httpStatus'>;

export type RedriveMatcher = (row: EligibilityFields) => boolean;

const statusClass = /^([1-5])xx$/i;
const exactStatus = /^\d{3}$/;

/**
 * Compiles `errorCodes` once into a predicate, for the hot loop over millions of rows: a Set lookup for
 * codes, integer comparisons for statuses, and the status is only read when a status entry exists.
 */
export function compileRedriveMatcher(errorCodes: readonly string[]): RedriveMatcher {
  const codes = new Set<string>();
  const classes = new Set<number>();
  const statuses = new Set<number>();
  for (const entry of errorCodes) {
    const code = entry.trim();
    const cls = statusClass.exec(code);
    if (cls) classes.add(Number(cls[1]));
    else if (exactStatus.test(code)) statuses.add(Number(code));
    else if (code !== '') codes.add(code);
  }
  const byStatus = classes.size > 0 || statuses.size > 0;
  return (row) => {
    if (codes.size > 0 && codes.has(row.errorCode)) return true;
    if (!byStatus) return false;
    const status = row.httpStatus;
    return status !== null && (statuses.has(status) || classes.has(Math.floor(status / 100)));
  };
}

/** Whether a failed row qualifies for a redrive under `errorCodes` (see the file comment for the syntax). */
export function isRedrivable(row: EligibilityFields, errorCodes: readonly string[]): boolean {
  return compileRedriveMatcher(errorCodes)(row);
}

/** The policy's codes, or the defaults when it lists none. */
export function redriveErrorCodes(policy: { errorCodes?: readonly string[] } | undefined): readonly string[] {
  return policy?.errorCodes ?? defaultRedriveErrorCodes;
}
