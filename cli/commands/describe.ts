/** `s3bo describe <jobId>`: one job's status, progress, report settings and failure reasons. */
import type { Command } from 'commander';
import { printJson, println } from '../io.js';
import { describeJob } from '../lib/jobs.js';
import { checkJobId } from '../lib/options.js';
import { renderJobDescription } from '../lib/render-jobs.js';
import type { CommandDeps } from '../program.js';

export function registerDescribeCommand(program: Command, deps: CommandDeps): void {
  program
    .command('describe')
    .description('describe an S3 Batch Operations job (DescribeJob)')
    .argument('<jobId>', 'the job id')
    .action(async (jobId: string, _flags: object, command: Command) => {
      const ctx = deps.context(command);
      const job = await describeJob(ctx, checkJobId(jobId));
      if (ctx.config.json) printJson(deps.io.stdout, job);
      else println(deps.io.stdout, renderJobDescription(job));
    });
}
