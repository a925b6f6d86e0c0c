/** `s3bo local`: the embedded local AWS, serving until interrupted, with this project deployed as stage `local`. */
import type { Command } from 'commander';
import { bindWarning, defaultLocalPort, startLocalAws } from '../../emulator/index.js';
import { deployProject } from '../../local/deploy-local.js';
import { CliUsageError } from '../errors.js';
import { println } from '../io.js';
import { collect, type FaultFlags, faultConfigFromFlags } from '../lib/fault-flags.js';
import type { CommandDeps } from '../program.js';

interface LocalOptions extends FaultFlags {
  port: string;
  host: string;
  dataDir: string;
  inMemory?: boolean;
  timeScale: string;
}

export function registerLocalCommand(program: Command, deps: CommandDeps): void {
  program
    .command('local')
    .description(
      'start the embedded local AWS (S3, S3 Control jobs, EventBridge, Lambda, Step Functions) on one port',
    )
    .option('--port <port>', 'port to listen on (0 picks a free one)', String(defaultLocalPort))
    .option('--host <host>', 'address to bind; keep loopback unless you know why not', '127.0.0.1')
    .option(
      '--data-dir <dir>',
      'durable data directory (buckets, objects, jobs, executions, event logs)',
      '.s3bo',
    )
    .option('--in-memory', 'keep nothing on disk')
    .option('--faults <file>', 'JSON fault configuration (throttling, 5xx, latency, task failures)')
    .option(
      '--throttle <service:Op=rate>',
      'throttle a share of calls, e.g. s3control:CreateJob=0.2 (repeatable)',
      collect,
    )
    .option(
      '--server-error <service:Op=rate>',
      "answer a share of calls with the service's 5xx (repeatable)",
      collect,
    )
    .option('--latency-ms <ms>', 'added latency for every call')
    .option('--put-events-failure-rate <rate>', 'share of PutEvents entries failed with InternalFailure')
    .option('--time-scale <x>', 'emulated time runs this many times faster than real time', '1')
    .action(async (options: LocalOptions) => {
      const port = parseNumber('--port', options.port, 0);
      const timeScale = parseNumber('--time-scale', options.timeScale, Number.MIN_VALUE);
      const faults = faultConfigFromFlags(options);
      const aws = await startLocalAws({
        host: options.host,
        port,
        timeScale,
        ...(options.inMemory ? { inMemory: true } : { dataDir: options.dataDir }),
        ...(faults ? { faults } : {}),
      });
      const project = await deployProject(aws);
      const out = deps.io.stdout;
      const exposed = bindWarning(options.host);
      if (exposed) println(deps.io.stderr, exposed);
      println(out, `s3bo local: AWS endpoint ${aws.url} (account ${aws.accountId}, region ${aws.region})`);
      println(out, `  console: ${aws.url}/_console/`);
      println(out, `  data: ${aws.dataDir ?? 'in memory'}   time scale: ${timeScale}×`);
      println(out, `  state machine: ${project.stateMachineArns.batchJob}`);
      println(
        out,
        `  event bus: ${project.busName} (log: ${aws.dataDir ?? '<memory>'}/events/${project.busName}.jsonl)`,
      );
      println(out);
      println(out, 'Point the AWS SDK or CLI at it:');
      println(out, `  export AWS_ENDPOINT_URL=${aws.url} AWS_REGION=${aws.region}`);
      println(out, '  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local');
      println(
        out,
        `  aws --endpoint-url ${aws.url} s3 ls     # AWS CLI before 2.13 ignores AWS_ENDPOINT_URL`,
      );
      println(out, '  # S3 Control puts the account id in the host: reach this server as an HTTP proxy');
      println(
        out,
        `  HTTP_PROXY=${aws.url} aws --endpoint-url http://s3-control.${aws.region}.amazonaws.com s3control list-jobs --account-id ${aws.accountId}`,
      );
      println(out, '  s3bo run examples/tag-request.json');
      println(out);
      println(out, 'Ctrl-C stops it.');
      await untilSignal();
      println(out, 's3bo local: stopping…');
      await aws.stop();
    });
}

function parseNumber(option: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min)
    throw new CliUsageError(`${option}: "${text}" is not a valid number`);
  return value;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
