import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { detailTypes } from '../../../src/core/names.js';
import type { EventBusPort, EventEntry } from '../../../src/core/ports.js';
import { systemClock } from '../../../src/core/ports.js';
import type { SchemaValidator } from '../../../src/generated/validators.js';
import { lambdaHandler } from '../../../src/runtime/handler.js';
import { meteredBus } from '../../../src/runtime/metered-bus.js';
import { createMetricsRecorder } from '../../../src/runtime/metrics.js';
import { capturedLines } from './captured-output.js';

const executionArn =
  'arn:aws:states:eu-west-1:123456789012:execution:s3-batch-orchestrator-dev-batch-job:run-1';
const jobId = '6a8d1c2e-3b4f-4a5b-9c6d-7e8f9a0b1c2d';
const lambdaEnv = {
  S3BO_STAGE: 'dev',
  S3BO_EVENT_BUS_NAME: 's3-batch-orchestrator-dev',
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
  AWS_REGION: 'eu-west-1',
};
const context = {
  functionName: 's3-batch-orchestrator-dev-describe-job',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:s3-batch-orchestrator-dev-describe-job',
  memoryLimitInMB: '512',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

/** The input shape of describe-job (schemas/tasks/describe-job-input.schema.json), with the execution. */
const describeJobInput = () => ({
  job: { jobId, operation: 'S3PutObjectTagging', submittedAt: '2026-12-06T10:00:00.000Z' },
  previous: null,
  executionArn,
});

/** An EMF document: the metric definitions under `_aws`, the values and properties at the top level. */
interface EmfDocument extends Record<string, unknown> {
  _aws: {
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
}

const acceptAnything = ((input: unknown): input is unknown => true) as SchemaValidator<unknown>;

/** A describe-job handler whose task throws `message`: it logs a debug line and an error line per invocation. */
const failingDescribeJob = (message: string) =>
  lambdaHandler('describe-job', { env: lambdaEnv, clock: systemClock }, acceptAnything, {}, async () => {
    throw new Error(message);
  });

describe('run keys on log lines', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('puts jobId, executionArn, stage and operation on every line of an invocation', async () => {
    // Prepare: a handler that logs through the debug line and fails, so both kinds of line are written.
    vi.stubEnv('POWERTOOLS_DEV', '');
    const handler = failingDescribeJob('DescribeJob throttled');

    // Act
    const lines = await capturedLines(() => handler(describeJobInput(), context));

    // Assess
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(entry).toMatchObject({ jobId, executionArn, stage: 'dev', operation: 'S3PutObjectTagging' });
    }
    expect(lines.some((line) => line.includes('describe-job failed'))).toBe(true);
  });

  it('does not carry one run keys into the next invocation', async () => {
    vi.stubEnv('POWERTOOLS_DEV', '');
    const handler = failingDescribeJob('boom');
    await capturedLines(() => handler(describeJobInput(), context));

    const lines = await capturedLines(() => handler({ unrelated: true }, context));

    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line)).not.toHaveProperty('jobId');
  });
});

describe('EMF metrics', () => {
  const completedEntry = (): EventEntry => ({
    Source: 's3-batch-orchestrator',
    DetailType: detailTypes.completed,
    EventBusName: 's3-batch-orchestrator-dev',
    Detail: JSON.stringify({
      jobId,
      executionArn,
      outcome: 'PartialFailure',
      occurredAt: '2026-12-06T10:05:00.000Z',
      progress: { totalTasks: 100, succeededTasks: 90, failedTasks: 10, failureRate: 0.1 },
    }),
  });

  function meteredRun(bus: EventBusPort) {
    const recorder = createMetricsRecorder({ namespace: 'S3BatchOrchestrator', stage: 'dev' });
    const run = {
      jobId,
      executionArn,
      operation: 'S3PutObjectTagging',
      submittedAt: '2026-12-06T10:00:00.000Z',
    };
    recorder.begin(run);
    return {
      recorder,
      bus: meteredBus(bus, { record: (records) => recorder.record(records), run: () => run }),
    };
  }

  it('publishes a completed job as EMF documents with namespace, dimensions, units and values', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_DEV', '');
    const { recorder, bus } = meteredRun({ putEvents: async () => ({ failed: [] }) });

    // Act
    const lines = await capturedLines(async () => {
      await bus.putEvents([completedEntry()]);
      recorder.flush();
    });

    // Assess
    const documents = lines.map((line) => JSON.parse(line) as EmfDocument);
    const byOutcome = documents.find((doc) => 'JobsCompleted' in doc)!;
    expect(byOutcome._aws.CloudWatchMetrics[0]).toEqual({
      Namespace: 'S3BatchOrchestrator',
      Dimensions: [
        ['service', 'stage', 'Outcome'],
        ['service', 'stage'],
      ],
      Metrics: [{ Name: 'JobsCompleted', Unit: 'Count' }],
    });
    expect(byOutcome).toMatchObject({ Outcome: 'PartialFailure', stage: 'dev', JobsCompleted: 1, jobId });

    const job = documents.find((doc) => 'TasksFailed' in doc)!;
    const metrics = job._aws.CloudWatchMetrics[0]!;
    expect(metrics.Namespace).toBe('S3BatchOrchestrator');
    expect(metrics.Dimensions).toEqual([
      ['service', 'stage', 'operation'],
      ['service', 'stage'],
    ]);
    expect(metrics.Metrics).toEqual(
      expect.arrayContaining([
        { Name: 'TasksSucceeded', Unit: 'Count' },
        { Name: 'TasksFailed', Unit: 'Count' },
        { Name: 'FailureRate', Unit: 'Percent' },
        { Name: 'TimeToComplete', Unit: 'Seconds' },
      ]),
    );
    expect(job).toMatchObject({
      TasksSucceeded: 90,
      TasksFailed: 10,
      FailureRate: 10,
      TimeToComplete: 300,
      operation: 'S3PutObjectTagging',
      jobId,
      executionArn,
    });
  });

  it('counts the entries PutEvents refused as EventsFailedToPut, and no metrics for them', async () => {
    vi.stubEnv('POWERTOOLS_DEV', '');
    const { recorder, bus } = meteredRun({
      putEvents: async () => ({ failed: [{ index: 0, errorCode: 'ThrottlingException' }] }),
    });

    const lines = await capturedLines(async () => {
      await bus.putEvents([completedEntry()]);
      recorder.flush();
    });

    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ EventsFailedToPut: 1 });
    expect(lines[0]).not.toContain('JobsCompleted');
  });

  it('prints nothing without a namespace', async () => {
    const recorder = createMetricsRecorder({ stage: 'dev' });
    const bus = meteredBus(
      { putEvents: async () => ({ failed: [] }) },
      {
        record: (records) => recorder.record(records),
        run: () => ({}),
      },
    );

    const lines = await capturedLines(async () => {
      await bus.putEvents([completedEntry()]);
      recorder.flush();
    });

    expect(lines).toEqual([]);
  });
});
