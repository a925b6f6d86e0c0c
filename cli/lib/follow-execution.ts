/**
 * `watch`, and the second half of `run`: follow an execution (and the executions it continues in), print
 * the end, fail when it failed.
 */
import type { CliContext } from '../context.js';
import { RunUnsuccessfulError } from '../errors.js';
import { parseSeconds } from './options.js';
import { watchExecution } from './watch.js';
import { createProgressPrinter, printWatchResult } from './watch-printer.js';

/** The options `run` and `watch` share, as commander hands them over. */
export interface FollowFlags {
  timeout?: string;
  interval: string;
}

export const defaultIntervalSeconds = '2';

export async function followExecution(
  ctx: CliContext,
  executionArn: string,
  flags: FollowFlags,
): Promise<void> {
  const timeoutSeconds = flags.timeout === undefined ? undefined : parseSeconds('--timeout', flags.timeout);
  const intervalSeconds = parseSeconds('--interval', flags.interval);
  const printer = createProgressPrinter(ctx.io, !ctx.config.json);
  let result: Awaited<ReturnType<typeof watchExecution>>;
  try {
    result = await watchExecution(ctx, executionArn, {
      intervalSeconds,
      ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
      onProgress: (update) => printer.update(update),
      onContinued: (_from, next) => printer.note(`continued in ${next}`),
    });
  } finally {
    printer.done();
  }
  printWatchResult(ctx.io, ctx.config.json, result);
  if (!result.successful) {
    throw new RunUnsuccessfulError(`execution ended ${result.execution.status} (${result.outcome})`);
  }
}
