import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeJobCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ReportSummary } from '../../src/generated/types.js';
import { aJobRequest } from '../builders/job-request.js';
import { fakeIo, s3bo } from './helpers.js';

const stateMachineArn =
  'arn:aws:states:us-east-1:000000000000:stateMachine:s3-batch-orchestrator-local-batch-job';
const executionArn =
  'arn:aws:states:us-east-1:000000000000:execution:s3-batch-orchestrator-local-batch-job:r1';
const jobId = 'a1b2c3d4-job';
const startDate = new Date('2026-11-26T10:00:00Z');

const sfn = mockClient(SFNClient);
const s3Control = mockClient(S3ControlClient);
const clients = () => ({
  sfn: new SFNClient({ region: 'us-east-1' }),
  s3Control: new S3ControlClient({ region: 'us-east-1' }),
});

const report: ReportSummary = {
  jobId,
  available: true,
  totalTasks: 2,
  succeededTasks: 2,
  failedTasks: 0,
  byErrorCode: {},
  byHttpStatus: { '200': 2 },
  sampleFailures: [],
  resultFiles: ['r/job-x/results/1.csv'],
};
const stateDoc = (extra: object = {}) =>
  JSON.stringify({ request: aJobRequest(), job: { jobId, accountId: '000000000000' }, ...extra });

function requestFile(content: unknown = aJobRequest()): string {
  const path = join(mkdtempSync(join(tmpdir(), 's3bo-run-')), 'request.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

/** DescribeExecution answers RUNNING `runningPolls` times, then `final`. */
function executionGoes(runningPolls: number, final: Record<string, unknown>) {
  const running = { executionArn, stateMachineArn, status: 'RUNNING', startDate };
  let chain = sfn.on(DescribeExecutionCommand);
  for (let i = 0; i < runningPolls; i++) chain = chain.resolvesOnce(running as never);
  chain.resolves({ ...running, stopDate: startDate, ...final } as never);
  sfn.on(GetExecutionHistoryCommand).resolves({
    events: [
      {
        id: 3,
        type: 'TaskStateExited',
        timestamp: startDate,
        stateExitedEventDetails: { name: 'SubmitJob', output: stateDoc() },
      },
      {
        id: 2,
        type: 'TaskStateEntered',
        timestamp: startDate,
        stateEnteredEventDetails: { name: 'SubmitJob', input: '{}' },
      },
    ],
  });
}

beforeEach(() => {
  sfn.reset();
  s3Control.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn, startDate });
  s3Control
    .on(DescribeJobCommand)
    .resolvesOnce({
      Job: {
        JobId: jobId,
        Status: 'Active',
        ProgressSummary: { TotalNumberOfTasks: 2, NumberOfTasksSucceeded: 1, NumberOfTasksFailed: 0 },
      },
    })
    .resolves({
      Job: {
        JobId: jobId,
        Status: 'Complete',
        ProgressSummary: { TotalNumberOfTasks: 2, NumberOfTasksSucceeded: 2, NumberOfTasksFailed: 0 },
      },
    });
});

describe('s3bo start', () => {
  it("starts the stage's batch-job state machine with the request as written and prints the ARN", async () => {
    const result = await s3bo(['start', requestFile(), '--name', 'r1'], { clients: clients() });
    expect(result).toMatchObject({ code: 0, stdout: `${executionArn}\n` });
    const input = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ stateMachineArn, name: 'r1' });
    // Not the copy validation filled defaults into: the workflow applies them (and judges the original).
    expect(JSON.parse(input.input!)).toEqual(aJobRequest());
  });

  it('starts nothing when the request is invalid (exit 2)', async () => {
    const result = await s3bo(['start', requestFile({ manifest: {} })], { clients: clients() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error: invalid job request: \S+: /);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('rejects an execution name Step Functions would refuse (exit 2)', async () => {
    expect((await s3bo(['start', requestFile(), '--name', 'has space'], { clients: clients() })).code).toBe(
      2,
    );
  });
});

describe('s3bo run / watch', () => {
  it('watches to success: plain progress lines on stderr, outcome and report table on stdout', async () => {
    executionGoes(2, { status: 'SUCCEEDED', output: stateDoc({ report }) });
    const result = await s3bo(['run', requestFile(), '--name', 'r1'], { clients: clients() });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`started ${executionArn}`);
    expect(result.stderr).toMatch(/Active\s+\[#+-+\]\s+50\.0%/);
    expect(result.stderr).toMatch(/Complete\s+\[#+\]\s+100\.0%/);
    expect(result.stdout).toMatch(/Outcome\s+Succeeded/);
    expect(result.stdout).toMatch(/Job\s+a1b2c3d4-job \(Complete\)/);
    expect(result.stdout).toMatch(/Tasks\s+2/);
  });

  it('redraws one line on a TTY', async () => {
    executionGoes(1, { status: 'SUCCEEDED', output: stateDoc({ report }) });
    const fake = fakeIo({ tty: true });
    const result = await s3bo(['watch', executionArn], { clients: clients(), fake });
    expect(result.code).toBe(0);
    expect(result.stderr.startsWith('\r')).toBe(true);
    expect(result.stderr).toContain('\x1b[K');
    expect(result.stderr.endsWith('\n')).toBe(true);
  });

  it('exits 1 when the job failed, with the Fail state error', async () => {
    executionGoes(0, {
      status: 'FAILED',
      error: 'BatchJobFailed',
      cause: 'The S3 Batch Operations job ended in status Failed.',
    });
    const result = await s3bo(['watch', executionArn], { clients: clients() });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Outcome\s+JobFailed/);
    expect(result.stdout).toMatch(/Error\s+BatchJobFailed/);
  });

  it('prints one JSON document with --json', async () => {
    executionGoes(0, { status: 'SUCCEEDED', output: stateDoc({ report: { ...report, failedTasks: 1 } }) });
    const result = await s3bo(['--json', 'watch', executionArn], { clients: clients() });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: 'SUCCEEDED',
      outcome: 'PartialFailure',
      jobId,
    });
  });

  it('exits 4 at --timeout and leaves the execution running', async () => {
    executionGoes(1000, { status: 'SUCCEEDED' });
    const result = await s3bo(['watch', executionArn, '--timeout', '5', '--interval', '2'], {
      clients: clients(),
    });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('still RUNNING after 5s');
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(4); // t = 0, 2, 4, 5
  });
});

describe('s3bo watch across continuations and redrives', () => {
  const next = `${executionArn}-c1`;
  const historyWith = (doc: string) => ({
    events: [
      {
        id: 7,
        type: 'TaskStateExited' as const,
        timestamp: startDate,
        stateExitedEventDetails: { name: 'DescribeJob', output: doc },
      },
    ],
  });
  const described = (arn: string, status: string, output?: string) =>
    ({
      executionArn: arn,
      stateMachineArn,
      status,
      startDate,
      ...(status === 'RUNNING' ? {} : { stopDate: startDate }),
      ...(output === undefined ? {} : { output }),
    }) as never;

  it('follows the execution a long job continued in, and prints the last one', async () => {
    sfn
      .on(DescribeExecutionCommand, { executionArn })
      .resolves(
        described(
          executionArn,
          'SUCCEEDED',
          stateDoc({ continuedAs: { executionArn: next, continuation: 1 } }),
        ),
      );
    sfn
      .on(DescribeExecutionCommand, { executionArn: next })
      .resolvesOnce(described(next, 'RUNNING'))
      .resolves(described(next, 'SUCCEEDED', stateDoc({ report })));
    sfn.on(GetExecutionHistoryCommand).resolves(historyWith(stateDoc()));

    const result = await s3bo(['watch', executionArn], { clients: clients() });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`continued in ${next}\n`);
    expect(result.stdout).toMatch(new RegExp(`Execution\\s+${next}\\n`));
    expect(result.stdout).toMatch(/Continued from\s+\S+:r1 \(1 continuation\)/);
    expect(result.stdout).toMatch(/Outcome\s+Succeeded/);
    expect(sfn.commandCalls(DescribeExecutionCommand, { executionArn: next })).toHaveLength(2);

    sfn.resetHistory();
    const json = await s3bo(['--json', 'watch', executionArn], { clients: clients() });
    expect(json.stderr).toContain(`continued in ${next}`);
    expect(JSON.parse(json.stdout)).toMatchObject({
      executionArn: next,
      status: 'SUCCEEDED',
      continuedFrom: [executionArn],
    });
  });

  it('ends the redrawn progress line before saying where the workflow continued', async () => {
    sfn
      .on(DescribeExecutionCommand, { executionArn })
      .resolves(described(executionArn, 'SUCCEEDED', stateDoc({ continuedAs: { executionArn: next } })));
    sfn
      .on(DescribeExecutionCommand, { executionArn: next })
      .resolves(described(next, 'SUCCEEDED', stateDoc()));
    sfn.on(GetExecutionHistoryCommand).resolves(historyWith(stateDoc()));
    const result = await s3bo(['watch', executionArn], { clients: clients(), fake: fakeIo({ tty: true }) });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`\x1b[K\ncontinued in ${next}\n\r`);
  });

  it('gives up (exit 4) after 1,000 continuations, naming the execution the workflow goes on in', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .resolves(
        described(executionArn, 'SUCCEEDED', stateDoc({ continuedAs: { executionArn, continuation: 9 } })),
      );
    sfn.on(GetExecutionHistoryCommand).resolves(historyWith(stateDoc()));
    const result = await s3bo(['watch', executionArn], { clients: clients() });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(`following 1,000 continuations; the workflow goes on in ${executionArn}`);
    expect(result.stderr.match(/continued in /g)).toHaveLength(1000);
  });

  it('follows the redrive job once the state document names it, and shows its attempt', async () => {
    const parentReport: ReportSummary = {
      ...report,
      totalTasks: 10,
      succeededTasks: 7,
      failedTasks: 3,
      byErrorCode: { TemporaryFailure: 3 },
    };
    const redriveJob = {
      jobId: 'redrive-job',
      accountId: '000000000000',
      attempt: 2,
      parentJobId: jobId,
    };
    const redrivenDoc = (extra: object = {}) =>
      JSON.stringify({ request: aJobRequest(), job: redriveJob, ...extra });
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce(described(executionArn, 'RUNNING'))
      .resolvesOnce(described(executionArn, 'RUNNING'))
      .resolvesOnce(described(executionArn, 'RUNNING'))
      .resolves(
        described(
          executionArn,
          'SUCCEEDED',
          redrivenDoc({
            report: { ...report, jobId: 'redrive-job', totalTasks: 3 },
            attempts: [parentReport],
          }),
        ),
      );
    sfn
      .on(GetExecutionHistoryCommand)
      .resolvesOnce(historyWith(stateDoc()))
      .resolves(historyWith(redrivenDoc()));
    s3Control.reset();
    s3Control.on(DescribeJobCommand, { JobId: jobId }).resolves({
      Job: {
        JobId: jobId,
        Status: 'Complete',
        ProgressSummary: { TotalNumberOfTasks: 10, NumberOfTasksSucceeded: 7, NumberOfTasksFailed: 3 },
      },
    });
    s3Control
      .on(DescribeJobCommand, { JobId: 'redrive-job' })
      .resolvesOnce({
        Job: {
          JobId: 'redrive-job',
          Status: 'Active',
          ProgressSummary: { TotalNumberOfTasks: 3, NumberOfTasksSucceeded: 1, NumberOfTasksFailed: 0 },
        },
      })
      .resolves({
        Job: {
          JobId: 'redrive-job',
          Status: 'Complete',
          ProgressSummary: { TotalNumberOfTasks: 3, NumberOfTasksSucceeded: 3, NumberOfTasksFailed: 0 },
        },
      });

    const result = await s3bo(['watch', executionArn], { clients: clients() });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Complete\s+\[#+\]\s+100\.0%\s+succeeded 7\s+failed 3\s+total 10\n/);
    expect(result.stderr).toMatch(
      /Active\s+\[#+-+\]\s+33\.3%\s+succeeded 1\s+failed 0\s+total 3\s+attempt 2\n/,
    );
    expect(result.stdout).toMatch(/Job\s+redrive-job \(Complete, attempt 2 of job a1b2c3d4-job\)/);
    // The summary across both attempts: the 3 failures were redriven and succeeded.
    expect(result.stdout).toContain('Across 2 attempts');
    expect(result.stdout).toMatch(/Outcome\s+Succeeded/);
    expect(result.stdout).toMatch(/Tasks\s+10\n/);
    // The history is read only while the followed job is not known or terminal (polls 1 and 2); the end
    // state comes from the execution's output.
    expect(sfn.commandCalls(GetExecutionHistoryCommand)).toHaveLength(2);
  });
});
