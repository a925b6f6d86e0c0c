import { accessDenied, invalidArgument, S3Error } from './errors.js';
import type { ObjectVersion } from './model.js';

type Retention = NonNullable<ObjectVersion['retention']>;

export function checkRetention(mode: string, retainUntil: string, now: Date): Retention {
  if (mode !== 'GOVERNANCE' && mode !== 'COMPLIANCE')
    throw new S3Error('MalformedXML', 400, 'Invalid retention mode');
  const until = new Date(retainUntil);
  if (Number.isNaN(until.getTime())) throw new S3Error('MalformedXML', 400, 'Invalid RetainUntilDate');
  if (until.getTime() <= now.getTime()) throw invalidArgument('The retain until date must be in the future!');
  return { mode, retainUntil: until.toISOString() };
}

/**
 * While a retention period runs, COMPLIANCE can only be extended; GOVERNANCE can be shortened or removed only
 * with x-amz-bypass-governance-retention (User Guide, "How S3 Object Lock works").
 */
export function assertRetentionChange(
  version: ObjectVersion,
  next: Retention | undefined,
  now: Date,
  bypass: boolean,
): void {
  const current = version.retention;
  if (!current || new Date(current.retainUntil).getTime() <= now.getTime()) return;
  // Removing the retention shortens it to nothing.
  const shortens = !next || new Date(next.retainUntil).getTime() < new Date(current.retainUntil).getTime();
  const weakens = current.mode === 'COMPLIANCE' && next?.mode === 'GOVERNANCE';
  if ((current.mode === 'COMPLIANCE' && (shortens || weakens)) || (shortens && !bypass)) throw accessDenied();
}

/** A version under legal hold or unexpired retention cannot be deleted permanently. */
export function assertDeletable(version: ObjectVersion, now: Date, bypassGovernance: boolean): void {
  if (version.legalHold === 'ON') throw accessDenied();
  const retention = version.retention;
  if (!retention || new Date(retention.retainUntil).getTime() <= now.getTime()) return;
  if (retention.mode === 'COMPLIANCE' || !bypassGovernance) throw accessDenied();
}
