/**
 * Progress and final output of `watch` / `run`. Progress goes to stderr, so stdout carries only the
 * result: on a terminal one line redrawn in place, otherwise a plain line whenever it changes.
 */
import { type CliIo, printJson, println } from '../io.js';
import { renderProgressBar, renderSummaryTable } from './render.js';
import { formatCount, renderKeyValues, truncate } from './table.js';
import type { WatchResult, WatchUpdate } from './watch.js';

export interface ProgressPrinter {
  update(update: WatchUpdate): void;
  /** A line of its own (e.g. `continued in <arn>`), printed even when progress is off. */
  note(text: string): void;
  /** Ends the redrawn line, if any. */
  done(): void;
}

export function createProgressPrinter(io: CliIo, enabled: boolean): ProgressPrinter {
  const stream = io.stderr;
  const tty = stream.isTTY === true;
  let last = '';
  let drawn = false;
  return {
    update({ progress }) {
      if (!enabled) return;
      const line = renderProgressBar(progress);
      if (tty) {
        // \r back to column 0, ESC[K clears what a longer previous line left behind.
        stream.write(`\r${line}\x1b[K`);
        drawn = true;
      } else if (line !== last) {
        println(stream, line);
      }
      last = line;
    },
    note(text) {
      if (drawn) stream.write('\n');
      drawn = false;
      println(stream, text);
      // On a terminal the bar is drawn again on the next update; elsewhere only when it changes.
    },
    done() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}

export function printWatchResult(io: CliIo, json: boolean, result: WatchResult): void {
  const { execution, state, progress, outcome, continuedFrom } = result;
  const attempt = state?.attempt ?? progress.attempt;
  if (json) {
    printJson(io.stdout, {
      executionArn: execution.executionArn,
      status: execution.status,
      outcome,
      jobId: state?.jobId ?? progress.jobId ?? null,
      ...(attempt === undefined ? {} : { attempt }),
      ...(state?.parentJobId ? { parentJobId: state.parentJobId } : {}),
      progress,
      ...(execution.error ? { error: execution.error, cause: execution.cause ?? null } : {}),
      report: state?.report ?? null,
      ...(state?.attemptReports ? { attempts: state.attemptReports } : {}),
      continuedFrom,
    });
    return;
  }
  const pairs: [string, string][] = [
    ['Execution', execution.executionArn],
    ['Status', execution.status],
    ['Outcome', outcome],
  ];
  if (continuedFrom.length > 0) {
    const hops = continuedFrom.length;
    pairs.push([
      'Continued from',
      `${continuedFrom[0]} (${formatCount(hops)} continuation${hops === 1 ? '' : 's'})`,
    ]);
  }
  const jobId = state?.jobId ?? progress.jobId;
  if (jobId) {
    const redrive =
      attempt !== undefined && attempt > 1
        ? `, attempt ${attempt}${state?.parentJobId ? ` of job ${state.parentJobId}` : ''}`
        : '';
    pairs.push(['Job', `${jobId} (${progress.status}${redrive})`]);
  }
  if (execution.error) pairs.push(['Error', execution.error]);
  if (execution.cause) pairs.push(['Cause', truncate(execution.cause, 300)]);
  if (state?.error) {
    pairs.push(['Caught', truncate(`${state.error.Error}: ${causeMessage(state.error.Cause)}`, 300)]);
  }
  println(io.stdout, renderKeyValues(pairs));
  println(io.stdout, renderProgressBar(progress));
  if (state?.report) {
    println(io.stdout);
    if (state.attemptReports) {
      println(io.stdout, `Across ${state.attemptReports.length} attempts (the job and its redrives):`);
    }
    println(io.stdout, renderSummaryTable(state.report));
  }
}

/** A Lambda task's Cause is its error as JSON (`{ errorType, errorMessage, trace }`): show the message. */
export function causeMessage(cause: string | undefined): string {
  if (cause === undefined) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON: shown as it is
  }
  return cause;
}
