/**
 * observability/resources.cjs, the alarms and dashboard serverless.yml includes: what it builds from the
 * function list and params, that it refuses a bad topic name, and that the PutEvents-failure alarm watches
 * the dimension set the functions' EMF documents really carry (an alarm on any other set never fires).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  buildObservabilityResources,
  functionLogicalId,
  ObservabilityConfigError,
} from '../../../observability/resources.cjs';
import { functionKeys } from '../../../src/core/names.js';
import { meteredBus } from '../../../src/runtime/metered-bus.js';
import { createMetricsRecorder } from '../../../src/runtime/metrics.js';
import { capturedLines } from '../runtime/captured-output.js';

const settings = {
  stage: 'dev',
  alarmTopicName: 's3-batch-orchestrator-dev-alarms',
  metricsNamespace: 'S3BatchOrchestrator',
  triggers: ['thumbnails'],
  functions: [...functionKeys],
};

type Alarm = { Type: string; Properties: Record<string, unknown> };
const alarmsOf = (resources: Record<string, Alarm>) =>
  Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('observability/resources.cjs', () => {
  it("names functions' logical ids as osls does", () => {
    expect(functionLogicalId('submit-job')).toBe('SubmitDashjobLambdaFunction');
    expect(functionLogicalId('build-then-manifest')).toBe('BuildDashthenDashmanifestLambdaFunction');
  });

  it('builds 2 alarms per machine and per function, one per dead-letter queue and one for PutEvents', () => {
    const { Resources } = buildObservabilityResources(settings);
    const alarms = alarmsOf(Resources as Record<string, Alarm>);
    expect(alarms).toHaveLength(3 * 2 + functionKeys.length * 2 + 2 + 1);
    const names = alarms.map((a) => a.Properties.AlarmName as string);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((name) => name.startsWith('s3-batch-orchestrator-dev-'))).toBe(true);
    expect(names).toContain('s3-batch-orchestrator-dev-trigger-thumbnails-dlq-depth');
  });

  it('builds no EMF alarm and no job widgets when metrics are off', () => {
    const { Resources } = buildObservabilityResources({ ...settings, metricsNamespace: '' });
    const alarms = alarmsOf(Resources as Record<string, Alarm>);
    expect(alarms.some((a) => a.Properties.MetricName === 'EventsFailedToPut')).toBe(false);
    expect(JSON.stringify(Resources.Dashboard)).not.toContain('JobsSubmitted');
  });

  it.each([
    ['', 'alarmTopicName is ""'],
    ['has spaces', 'alarmTopicName is "has spaces"'],
    [undefined, 'alarmTopicName is undefined'],
  ])('refuses the topic name %j, naming the param', (alarmTopicName, message) => {
    expect(() => buildObservabilityResources({ ...settings, alarmTopicName })).toThrow(
      ObservabilityConfigError,
    );
    expect(() => buildObservabilityResources({ ...settings, alarmTopicName })).toThrow(message);
  });

  it('watches EventsFailedToPut with a dimension set the EMF documents of a real failed PutEvents carry', async () => {
    // Prepare: a recorder and a bus whose PutEvents refuses the one entry, as the functions wire them
    vi.stubEnv('POWERTOOLS_DEV', '');
    const recorder = createMetricsRecorder({ namespace: settings.metricsNamespace, stage: 'dev' });
    const run = { jobId: 'job-1', operation: 'S3PutObjectTagging' };
    recorder.begin(run);
    const bus = meteredBus(
      { putEvents: async () => ({ failed: [{ index: 0, errorCode: 'ThrottlingException' }] }) },
      { record: (records) => recorder.record(records), run: () => run },
    );

    // Act
    const lines = await capturedLines(async () => {
      await bus.putEvents([
        {
          source: 's3-batch-orchestrator',
          detailType: 'Batch Job Completed',
          detail: '{}',
          eventBusName: 'b',
        },
      ] as never);
      recorder.flush();
    });

    // Assess
    const documents = lines.map((l) => JSON.parse(l));
    const published = documents.flatMap((doc) =>
      (
        doc._aws.CloudWatchMetrics as {
          Namespace: string;
          Dimensions: string[][];
          Metrics: { Name: string }[];
        }[]
      )
        .filter((m) => m.Metrics.some((metric) => metric.Name === 'EventsFailedToPut'))
        .flatMap((m) => m.Dimensions.map((set) => ({ namespace: m.Namespace, set: [...set].sort(), doc }))),
    );
    const alarm = alarmsOf(buildObservabilityResources(settings).Resources as Record<string, Alarm>).find(
      (a) => a.Properties.MetricName === 'EventsFailedToPut',
    )!;
    const dimensions = alarm.Properties.Dimensions as { Name: string; Value: string }[];
    const match = published.find(
      ({ namespace, set }) =>
        namespace === alarm.Properties.Namespace &&
        JSON.stringify(set) === JSON.stringify(dimensions.map((d) => d.Name).sort()),
    );
    expect(match, JSON.stringify(published.map(({ namespace, set }) => ({ namespace, set })))).toBeDefined();
    for (const { Name, Value } of dimensions) expect(match!.doc[Name]).toBe(Value);
  });
});
