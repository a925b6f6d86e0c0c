/**
 * `s3bo triggers list | status`: the coalescing triggers in triggers/ (what the stages deploy) and, for one,
 * what its collector holds now: pending objects, the oldest one's age, its last flushes.
 */
import type { Command } from 'commander';
import { RequestValidationError } from '../../src/core/errors.js';
import type { CliContext } from '../context.js';
import { localStateBucket } from '../defaults.js';
import { CliUsageError } from '../errors.js';
import { printJson, println } from '../io.js';
import { parseInteger } from '../lib/options.js';
import { formatCount, renderKeyValues, renderTable } from '../lib/table.js';
import { listTriggerFiles, projectTriggersDir, readTriggerFile } from '../lib/trigger-file.js';
import { readTriggerStatus } from '../lib/trigger-status.js';
import type { CommandDeps } from '../program.js';

export function registerTriggersCommand(program: Command, deps: CommandDeps): void {
  const triggers = program
    .command('triggers')
    .description('coalescing triggers (triggers/*.json): many object events, few full jobs');

  triggers
    .command('list')
    .description('the trigger files: source, window, operation (an invalid file is listed with its error)')
    .option('--dir <dir>', 'folder of trigger files', projectTriggersDir)
    .action(async (flags: { dir: string }, command: Command) => {
      const ctx = deps.context(command);
      const rows = await Promise.all(
        (await listTriggerFiles(flags.dir)).map(async (file) => {
          try {
            const trigger = await readTriggerFile(file);
            const { source, window } = trigger;
            return {
              name: trigger.name,
              file,
              buckets: source.buckets,
              filter: [source.prefix && `prefix ${source.prefix}`, source.suffix && `suffix ${source.suffix}`]
                .filter(Boolean)
                .join(', '),
              window,
              operation: Object.keys(trigger.job.operation)[0] ?? '',
            };
          } catch (error) {
            const reason =
              error instanceof RequestValidationError
                ? `${error.field}: ${error.reason}`
                : (error as Error).message;
            return { file, error: reason };
          }
        }),
      );
      if (ctx.config.json) return printJson(deps.io.stdout, rows);
      println(
        deps.io.stdout,
        renderTable(
          ['trigger', 'buckets', 'filter', 'window (max / wait / min)', 'operation'],
          rows.map((row) =>
            'error' in row
              ? [row.file, `invalid: ${row.error}`, '', '', '']
              : [
                  row.name,
                  row.buckets.join(', '),
                  row.filter || '-',
                  `${formatCount(row.window.maxObjects)} / ${row.window.maxWaitSeconds}s / ${formatCount(row.window.minObjects)}`,
                  row.operation,
                ],
          ),
          { maxCellWidth: 80 },
        ),
      );
    });

  triggers
    .command('status')
    .description(
      "a trigger's pending objects, the oldest one's age and its last flushes (from the state bucket)",
    )
    .argument('<name>', 'the trigger name')
    .option('--state-bucket <bucket>', 'the stage state bucket (default for stage local: its local name)')
    .option('--flushes <n>', 'last flushes shown', '5')
    .action(async (name: string, flags: { stateBucket?: string; flushes: string }, command: Command) => {
      const ctx = deps.context(command);
      const status = await readTriggerStatus(ctx.objectStore(), {
        trigger: name,
        stateBucket: stateBucketOf(ctx, flags.stateBucket),
        now: ctx.io.now(),
        flushes: parseInteger('--flushes', flags.flushes, 0, 100),
      });
      if (ctx.config.json) return printJson(deps.io.stdout, status);
      println(
        deps.io.stdout,
        renderKeyValues([
          ['Trigger', status.trigger],
          ['Pending', `${formatCount(status.pendingObjects)} objects`],
          [
            'Oldest',
            status.oldestPendingSeconds === undefined
              ? '-'
              : `${Math.round(status.oldestPendingSeconds)} s ago`,
          ],
          ['Flushing', status.flushingObjects > 0 ? `${formatCount(status.flushingObjects)} objects` : '-'],
        ]),
      );
      println(deps.io.stdout);
      println(
        deps.io.stdout,
        status.lastFlushes.length === 0
          ? 'No flushes yet.'
          : renderTable(
              ['flushed at', 'objects', 'execution'],
              status.lastFlushes.map((flush) => [flush.at, formatCount(flush.objects), flush.executionName]),
              { maxCellWidth: 90 },
            ),
      );
    });
}

function stateBucketOf(ctx: CliContext, flag: string | undefined): string {
  if (flag) return flag;
  if (ctx.config.stage === 'local') return localStateBucket(ctx.config.stage);
  throw new CliUsageError(
    `--state-bucket: required for stage ${ctx.config.stage} (CloudFormation names the stack's state bucket; see the stack's resources)`,
  );
}
