/**
 * Publishes the per-job metrics (./job-metrics.ts) as CloudWatch Embedded Metric Format documents with
 * Powertools Metrics: one JSON line on stdout per invocation that recorded something, which CloudWatch Logs
 * turns into metrics of the namespace POWERTOOLS_METRICS_NAMESPACE (serverless.yml sets it per stage).
 *
 * Dimension sets, all low-cardinality: `[service, stage]` and `[service, stage, operation]`; a metric broken
 * down (JobsCompleted by Outcome, PolicyActions by Action) also gets `[service, stage, <that dimension>]`.
 * The job id and execution ARN go in as metadata (searchable in Logs Insights, no extra metric cost).
 *
 * Off without a namespace (the local AWS and tests set none): nothing is printed at all. Powertools itself
 * warns on an empty flush even with throwOnEmptyMetrics off, so an invocation that recorded nothing does
 * not flush (and an empty flush never throws: `throwOnEmptyMetrics` stays at its default, off).
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { serviceName } from '../core/names.js';
import type { MetricRecord } from './job-metrics.js';
import type { RunContext } from './run-context.js';

export interface MetricsRecorder {
  /** Starts an invocation of the given run: its operation dimension and metadata. */
  begin(run: RunContext): void;
  record(records: readonly MetricRecord[]): void;
  /** Publishes what the invocation recorded; nothing when it recorded nothing. */
  flush(): void;
}

export interface MetricsOptions {
  /** CloudWatch namespace; absent or empty: metrics are off. */
  namespace?: string | undefined;
  /** The stage dimension; absent: metrics are off too (a function without S3BO_STAGE fails its config anyway). */
  stage?: string | undefined;
}

const noMetrics: MetricsRecorder = { begin() {}, record() {}, flush() {} };

export function createMetricsRecorder(options: MetricsOptions): MetricsRecorder {
  if (!options.namespace || !options.stage) return noMetrics;
  const metrics = new Metrics({
    namespace: options.namespace,
    serviceName,
    defaultDimensions: { stage: options.stage },
  });
  let run: RunContext = {};

  /** Job id and execution ARN as EMF metadata: they identify the run without becoming dimensions. */
  const describeRun = (target: Metrics) => {
    if (run.jobId) target.addMetadata('jobId', run.jobId);
    if (run.executionArn) target.addMetadata('executionArn', run.executionArn);
  };
  /** `[service, stage, operation]` when the operation is known, and always `[service, stage]`. */
  const addDimensionSets = (target: Metrics) => {
    if (run.operation) target.addDimension('operation', run.operation);
    target.addDimensions({});
  };

  return {
    begin(next) {
      run = next;
    },
    record(records) {
      for (const record of records) {
        if (record.dimension) {
          // Published at once as its own document, so its breakdown dimension stays off the other metrics.
          const single = metrics.singleMetric();
          single.addDimension(record.dimension.name, record.dimension.value);
          single.addDimensions({});
          describeRun(single);
          single.addMetric(record.name, record.unit, record.value);
        } else {
          metrics.addMetric(record.name, record.unit, record.value);
        }
      }
    },
    flush() {
      if (!metrics.hasStoredMetrics()) return;
      addDimensionSets(metrics);
      describeRun(metrics);
      metrics.publishStoredMetrics();
    },
  };
}
