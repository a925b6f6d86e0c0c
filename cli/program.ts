/**
 * The `s3bo` commander program: global options and every command. Building it is side-effect free, so
 * tests drive the real program in-process with their own `CliIo`.
 */
import { Command } from 'commander';
import type { AwsClients } from '../src/adapters/aws/index.js';
import { registerCampaignCommand } from './commands/campaign.js';
import { registerCancelCommand } from './commands/cancel.js';
import { registerConfirmCommand } from './commands/confirm.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerDescribeCommand } from './commands/describe.js';
import { registerEstimateCommand } from './commands/estimate.js';
import { registerEventsCommand } from './commands/events.js';
import { registerInventoryCommand } from './commands/inventory.js';
import { registerJobsCommand } from './commands/jobs.js';
import { registerLocalCommand } from './commands/local.js';
import { registerPriorityCommand } from './commands/priority.js';
import { registerReportCommand } from './commands/report.js';
import { registerRunCommand, registerStartCommand } from './commands/run.js';
import { registerTriggersCommand } from './commands/triggers.js';
import { registerValidateCommand } from './commands/validate.js';
import { registerWatchCommand } from './commands/watch.js';
import { type CliContext, createCliContext, type GlobalOptions, resolveConfig } from './context.js';
import {
  cliEnvVars,
  defaultLocalAccountId,
  defaultLocalEndpoint,
  defaultRegion,
  defaultStage,
} from './defaults.js';
import type { CliIo } from './io.js';

/** What a command module gets besides the program. */
export interface CommandDeps {
  io: CliIo;
  /** The resolved global options and lazily built adapters for the command being run. */
  context(command: Command): CliContext;
}

export interface ProgramOptions {
  io: CliIo;
  /** Injected SDK clients (tests); absent ones are built from the global options. */
  clients?: Partial<AwsClients>;
}

export function buildProgram({ io, clients }: ProgramOptions): Command {
  const program = new Command('s3bo')
    .description(
      'Run and inspect S3 Batch Operations jobs orchestrated by Step Functions, locally or on AWS.',
    )
    .option('--stage <stage>', `deployment stage (default: ${defaultStage})`)
    .option('--region <region>', `AWS region (default: AWS_REGION, else ${defaultRegion})`)
    .option(
      '--endpoint <url>',
      `AWS endpoint (default: AWS_ENDPOINT_URL; for stage ${defaultStage}, ${defaultLocalEndpoint}; else AWS itself)`,
    )
    .option(
      '--account-id <id>',
      `AWS account id (default: ${cliEnvVars.accountId}; for stage ${defaultStage}, ${defaultLocalAccountId})`,
    )
    .option('--json', 'machine-readable output on stdout')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 run ended unsuccessfully, 2 usage or invalid request, 3 AWS/service error,\n' +
        '4 timeout, 5 internal error. S3BO_DEBUG=1 prints stack traces.',
    );

  const deps: CommandDeps = {
    io,
    context: (command) =>
      createCliContext(resolveConfig(command.optsWithGlobals<GlobalOptions>(), io.env), io, clients),
  };
  // Subcommands copy exitOverride/configureOutput from the program when created, so these come last.
  registerLocalCommand(program, deps);
  registerDemoCommand(program, deps);
  registerValidateCommand(program, deps);
  registerEstimateCommand(program, deps);
  registerCampaignCommand(program, deps);
  registerTriggersCommand(program, deps);
  registerRunCommand(program, deps);
  registerStartCommand(program, deps);
  registerWatchCommand(program, deps);
  registerJobsCommand(program, deps);
  registerDescribeCommand(program, deps);
  registerCancelCommand(program, deps);
  registerConfirmCommand(program, deps);
  registerPriorityCommand(program, deps);
  registerReportCommand(program, deps);
  registerEventsCommand(program, deps);
  registerInventoryCommand(program, deps);
  return program;
}
