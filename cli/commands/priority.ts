/** `s3bo priority <jobId> <n>`: UpdateJobPriority. */
import type { Command } from 'commander';
import { printJson, println } from '../io.js';
import { setJobPriority } from '../lib/jobs.js';
import { checkJobId, parseInteger } from '../lib/options.js';
import type { CommandDeps } from '../program.js';

/** UpdateJobPriority's range (S3 Control API reference, `Priority`). */
const maxPriority = 2_147_483_647;

export function registerPriorityCommand(program: Command, deps: CommandDeps): void {
  program
    .command('priority')
    .description('change a job priority (UpdateJobPriority; higher runs first)')
    .argument('<jobId>', 'the job id')
    .argument('<n>', `the new priority, 0 to ${maxPriority}`)
    .action(async (jobId: string, value: string, _flags: object, command: Command) => {
      const priority = parseInteger('priority', value, 0, maxPriority);
      const ctx = deps.context(command);
      const result = await setJobPriority(ctx, checkJobId(jobId), priority);
      if (ctx.config.json) printJson(deps.io.stdout, { jobId, priority: result.priority });
      else println(deps.io.stdout, `job ${jobId}: priority ${result.priority}`);
    });
}
