/**
 * Priority across jobs ("Assigning job priority", S3 User Guide): higher Priority runs first, best effort.
 * Each account has `slots` Active places; the highest-priority runnable jobs (oldest first on a tie) hold
 * them, an Active job outside that set is paused, and a slot freed by a Pausing job is handed out only once
 * that job is Paused.
 */
import type { JobRecord, JobStatus } from './types.js';

const RUNNABLE: ReadonlySet<JobStatus> = new Set(['Ready', 'Active', 'Pausing', 'Paused']);

export interface CapacityPlan {
  pause: JobRecord[];
  activate: JobRecord[];
}

export function planCapacity(records: JobRecord[], slots: number): CapacityPlan {
  const plan: CapacityPlan = { pause: [], activate: [] };
  const byAccount = new Map<string, JobRecord[]>();
  for (const record of records) {
    if (!RUNNABLE.has(record.Status)) continue;
    const list = byAccount.get(record.accountId) ?? [];
    list.push(record);
    byAccount.set(record.accountId, list);
  }
  for (const runnable of byAccount.values()) {
    runnable.sort((a, b) => b.Priority - a.Priority || a.CreationTime.localeCompare(b.CreationTime));
    const wanted = new Set(runnable.slice(0, slots));
    for (const record of runnable) {
      if (record.Status === 'Active' && !wanted.has(record)) plan.pause.push(record);
    }
    let occupied = runnable.filter(
      (r) => r.Status === 'Pausing' || (r.Status === 'Active' && wanted.has(r)),
    ).length;
    // Jobs being paused still hold their slot until they are Paused.
    occupied += plan.pause.filter((r) => r.accountId === runnable[0]!.accountId).length;
    for (const record of runnable) {
      if (occupied >= slots) break;
      if (wanted.has(record) && (record.Status === 'Ready' || record.Status === 'Paused')) {
        plan.activate.push(record);
        occupied++;
      }
    }
  }
  return plan;
}
