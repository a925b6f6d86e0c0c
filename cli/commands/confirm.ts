/** `s3bo confirm <jobId>`: UpdateJobStatus Ready, for a job created with confirmation required. */
import type { Command } from 'commander';
import { printJson, println } from '../io.js';
import { setJobStatus } from '../lib/jobs.js';
import { checkJobId } from '../lib/options.js';
import type { CommandDeps } from '../program.js';

export function registerConfirmCommand(program: Command, deps: CommandDeps): void {
  program
    .command('confirm')
    .description('confirm a job awaiting confirmation (UpdateJobStatus Ready)')
    .argument('<jobId>', 'the job id')
    .action(async (jobId: string, _flags: object, command: Command) => {
      const ctx = deps.context(command);
      const { status } = await setJobStatus(ctx, checkJobId(jobId), 'Ready');
      if (ctx.config.json) printJson(deps.io.stdout, { jobId, status });
      else println(deps.io.stdout, `job ${jobId}: ${status}`);
    });
}
