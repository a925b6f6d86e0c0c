/** `s3bo cancel <jobId> [--reason text]`: UpdateJobStatus Cancelled. */
import type { Command } from 'commander';
import { printJson, println } from '../io.js';
import { setJobStatus } from '../lib/jobs.js';
import { checkJobId } from '../lib/options.js';
import type { CommandDeps } from '../program.js';

export function registerCancelCommand(program: Command, deps: CommandDeps): void {
  program
    .command('cancel')
    .description('cancel a job (UpdateJobStatus Cancelled); a watching workflow then ends BatchJobCancelled')
    .argument('<jobId>', 'the job id')
    .option('--reason <text>', 'StatusUpdateReason recorded on the job', 'cancelled with s3bo')
    .action(async (jobId: string, flags: { reason: string }, command: Command) => {
      const ctx = deps.context(command);
      const { status } = await setJobStatus(ctx, checkJobId(jobId), 'Cancelled', flags.reason);
      if (ctx.config.json) printJson(deps.io.stdout, { jobId, status });
      else println(deps.io.stdout, `job ${jobId}: ${status}`);
    });
}
