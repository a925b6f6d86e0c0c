/**
 * What `campaign run` shows: a line per target with its own progress bar while the run goes on (on a
 * terminal the block is redrawn in place, elsewhere a line is printed when it changes), then the run's
 * outcome and its per-target table. Progress goes to stderr, the result to stdout.
 */
import type { CampaignCompletedDetail } from '../../src/generated/types.js';
import type { CliIo } from '../io.js';
import { println } from '../io.js';
import type { TargetProgress } from './campaign-watch.js';
import { renderProgressBar } from './render.js';
import { formatCount, renderKeyValues, renderTable } from './table.js';

/** The Campaign Completed detail's fields, as the campaign execution outputs them (`completed`). */
export type CampaignResult = Omit<
  CampaignCompletedDetail,
  'eventId' | 'executionArn' | 'stage' | 'occurredAt'
>;

export function renderTargetLine(target: TargetProgress, nameWidth: number): string {
  const name = target.name.padEnd(nameWidth);
  const phase = target.phase.padEnd(22);
  if (!target.snapshot) return `${name}  ${phase}${target.ended ? 'ended' : 'not started'}`.trimEnd();
  return `${name}  ${phase}${renderProgressBar(target.snapshot.progress, { width: 20 })}`;
}

export interface CampaignProgressPrinter {
  update(targets: readonly TargetProgress[]): void;
  done(): void;
}

export function createCampaignProgressPrinter(io: CliIo, enabled: boolean): CampaignProgressPrinter {
  const stream = io.stderr;
  const tty = stream.isTTY === true;
  let drawnLines = 0;
  let last: string[] = [];
  return {
    update(targets) {
      if (!enabled) return;
      const width = Math.max(...targets.map((target) => target.name.length));
      const lines = targets.map((target) => renderTargetLine(target, width));
      if (tty) {
        // Back to the block's first line (ESC[nA), then each line cleared (ESC[K) and written again.
        if (drawnLines > 0) stream.write(`\x1b[${drawnLines}A`);
        for (const line of lines) stream.write(`\r${line}\x1b[K\n`);
        drawnLines = lines.length;
      } else {
        lines.forEach((line, i) => {
          if (line !== last[i]) println(stream, line);
        });
      }
      last = lines;
    },
    done() {
      drawnLines = 0;
    },
  };
}

const usd = (value: number) => `$${value.toFixed(value < 0.01 && value > 0 ? 6 : 2)}`;

export function renderCampaignResult(result: CampaignResult, executionArn: string): string {
  const pairs: [string, string][] = [
    ['Campaign', result.campaign],
    ['Run', `${result.runId} (${result.trigger}, scheduled ${result.scheduledTime})`],
    ['Execution', executionArn],
    ['Outcome', result.outcome],
  ];
  if (result.reason) pairs.push(['Reason', result.reason]);
  const totals = result.totals;
  pairs.push([
    'Tasks',
    `${formatCount(totals.succeededTasks)} succeeded, ${formatCount(totals.failedTasks)} failed of ${formatCount(totals.tasks)}`,
  ]);
  pairs.push(['Estimated cost', usd(result.cost.estimatedUsd)]);
  const restores = result.targets.some((target) => target.restored !== undefined);
  const rows = result.targets.map((target) => [
    target.name,
    target.outcome,
    target.jobId ?? '-',
    formatCount(target.totals.tasks),
    formatCount(target.totals.succeeded),
    formatCount(target.totals.failed),
    Object.entries(target.failuresByCode)
      .map(([code, count]) => `${code} ${count}`)
      .join(', ') || '-',
    usd(target.estimatedUsd),
    ...(restores ? [`${formatCount(target.restored ?? 0)} / ${formatCount(target.notRestored ?? 0)}`] : []),
  ]);
  const headers = ['target', 'outcome', 'job', 'tasks', 'succeeded', 'failed', 'failures', 'est.'];
  if (restores) headers.push('restored / not');
  return [renderKeyValues(pairs), '', renderTable(headers, rows)].join('\n');
}
