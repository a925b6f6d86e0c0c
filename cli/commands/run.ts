/**
 * `s3bo run <request.json>`: validate, start the stage's batch-job workflow, watch it to the end.
 * `s3bo start <request.json>`: validate and start, print the execution ARN, return.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { printJson, println } from '../io.js';
import { startBatchJob } from '../lib/execution.js';
import { defaultIntervalSeconds, followExecution } from '../lib/follow-execution.js';
import { readJobRequestFile } from '../lib/request-file.js';
import type { CommandDeps } from '../program.js';

interface StartFlags {
  name?: string;
}

/** Validation comes first: an invalid request exits 2 before any AWS call. */
async function start(ctx: CliContext, file: string, flags: StartFlags) {
  const { asWritten } = await readJobRequestFile(file);
  return startBatchJob(ctx, asWritten, flags.name);
}

export function registerStartCommand(program: Command, deps: CommandDeps): void {
  program
    .command('start')
    .description("validate a job request and start the stage's batch-job workflow; prints the execution ARN")
    .argument('<request.json>', 'the job request')
    .option('--name <name>', 'execution name (default: s3bo-<timestamp>-<random>); reusing one is idempotent')
    .action(async (file: string, flags: StartFlags, command: Command) => {
      const ctx = deps.context(command);
      const started = await start(ctx, file, flags);
      if (ctx.config.json) printJson(deps.io.stdout, started);
      else println(deps.io.stdout, started.executionArn);
    });
}

export function registerRunCommand(program: Command, deps: CommandDeps): void {
  program
    .command('run')
    .description('validate a job request, start the workflow and watch it until it ends (exit 1 if it fails)')
    .argument('<request.json>', 'the job request')
    .option('--name <name>', 'execution name (default: s3bo-<timestamp>-<random>); reusing one is idempotent')
    .option('--timeout <seconds>', 'stop watching after this long (exit 4; the execution keeps running)')
    .option('--interval <seconds>', 'seconds between polls', defaultIntervalSeconds)
    .action(
      async (file: string, flags: StartFlags & { timeout?: string; interval: string }, command: Command) => {
        const ctx = deps.context(command);
        const started = await start(ctx, file, flags);
        // stderr, so that with --json stdout holds exactly one JSON document.
        println(
          deps.io.stderr,
          `started ${started.executionArn}${started.alreadyExisted ? ' (already existed)' : ''}`,
        );
        await followExecution(ctx, started.executionArn, flags);
      },
    );
}
