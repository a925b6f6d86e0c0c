/** `s3bo jobs [--status Active,Complete] [--max N]`: list S3 Batch Operations jobs. */
import type { Command } from 'commander';
import { printJson, println } from '../io.js';
import { listJobs } from '../lib/jobs.js';
import { parseInteger, parseJobStatuses } from '../lib/options.js';
import { renderJobsTable } from '../lib/render-jobs.js';
import type { CommandDeps } from '../program.js';

export function registerJobsCommand(program: Command, deps: CommandDeps): void {
  program
    .command('jobs')
    .description('list S3 Batch Operations jobs (AWS keeps finished jobs for 90 days)')
    .option('--status <statuses>', 'only these statuses, comma-separated (e.g. Active,Complete)')
    .option('--max <n>', 'at most this many jobs', '50')
    .action(async (flags: { status?: string; max: string }, command: Command) => {
      const statuses = flags.status === undefined ? undefined : parseJobStatuses('--status', flags.status);
      const max = parseInteger('--max', flags.max, 1, 10_000);
      const ctx = deps.context(command);
      const listed = await listJobs(ctx, { max, ...(statuses ? { statuses } : {}) });
      if (ctx.config.json) {
        printJson(deps.io.stdout, listed);
        return;
      }
      println(deps.io.stdout, renderJobsTable(listed.jobs));
      if (listed.truncated) println(deps.io.stderr, `(more than ${max} jobs; raise --max to see more)`);
    });
}
