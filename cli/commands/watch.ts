/** `s3bo watch <executionArn>`: follow a batch-job execution until it ends. */
import type { Command } from 'commander';
import { defaultIntervalSeconds, type FollowFlags, followExecution } from '../lib/follow-execution.js';
import type { CommandDeps } from '../program.js';

export function registerWatchCommand(program: Command, deps: CommandDeps): void {
  program
    .command('watch')
    .description('follow an execution with a live progress bar, then print its outcome and report summary')
    .argument('<executionArn>', 'the Step Functions execution')
    .option('--timeout <seconds>', 'stop watching after this long (exit 4; the execution keeps running)')
    .option('--interval <seconds>', 'seconds between polls', defaultIntervalSeconds)
    .action(async (executionArn: string, flags: FollowFlags, command: Command) => {
      await followExecution(deps.context(command), executionArn, flags);
    });
}
