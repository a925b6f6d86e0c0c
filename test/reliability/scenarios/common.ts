/**
 * What the reliability scenarios share: many small workflows on one harness, each tagging its own objects
 * from its own manifest, started at once and read back as figures. No vitest here (the harness's own
 * `harnessPerTest` is never called): bench/reliability.ts runs the same scenarios.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { fullHistory, type Harness, objectKeys, taggingRequest } from '../../workflow/harness.js';

export const dataBucket = 'reliability-data';
export const manifestBucket = 'reliability-manifests';
/** The tag each workflow's job writes; its value is the workflow's name, so a crossed manifest shows. */
export const workflowTagKey = 'workflow';

/**
 * Short polls in emulated time (5-30 s, a few ms at the scenarios' time scale): a scenario measures retries
 * and bookkeeping, not how long a job takes.
 */
export const quickWait = { minSeconds: 5, maxSeconds: 30, timeoutSeconds: 86_400 };

export interface ScenarioWorkflow {
  /** Also the execution name. */
  name: string;
  manifest: { bucket: string; key: string };
  /** The objects its manifest lists, in no other workflow's manifest. */
  keys: string[];
}

export interface FinishedWorkflow {
  name: string;
  executionArn: string;
  /** RUNNING when the scenario's deadline passed first. */
  status: string;
  error?: string;
  cause?: string;
  statesEntered: string[];
  /** The error of every task attempt that failed (then retried or caught), e.g. Lambda.ServiceException. */
  taskFailures: string[];
}

/** Seeds `count` workflows of `objectsPerWorkflow` objects each, named `<prefix>-<n>`. */
export function seedWorkflows(
  h: Harness,
  count: number,
  objectsPerWorkflow: number,
  prefix: string,
): ScenarioWorkflow[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `${prefix}-${i}`;
    const keys = objectKeys(objectsPerWorkflow, `${name}/`);
    const manifest = { bucket: manifestBucket, key: `${name}.csv` };
    h.seedObjects(dataBucket, keys);
    h.writeManifest(
      manifest.bucket,
      manifest.key,
      keys.map((key) => [dataBucket, key]),
    );
    return { name, manifest, keys };
  });
}

/** The description a workflow's job carries: how the S3 Control store is counted per workflow. */
export const jobDescription = (workflowName: string): string => `reliability ${workflowName}`;

export function workflowRequest(workflow: ScenarioWorkflow) {
  return taggingRequest(workflow.manifest, {
    operation: { S3PutObjectTagging: { TagSet: [{ Key: workflowTagKey, Value: workflow.name }] } },
    description: jobDescription(workflow.name),
    wait: quickWait,
  });
}

/** Histories read at once: enough to be quick, few enough to stay under the SDK's 50 sockets. */
const historyReadsAtOnce = 20;

/**
 * Starts every workflow at once and waits until all are closed or `timeoutMs` passed (one deadline for
 * all, as they run side by side), then reads each one's history.
 */
export async function runWorkflows(
  h: Harness,
  workflows: ScenarioWorkflow[],
  timeoutMs: number,
): Promise<FinishedWorkflow[]> {
  const stateMachineArn = h.project.stateMachineArns.batchJob!;
  const started = workflows.map((workflow) => ({
    workflow,
    executionArn: h.aws.sfn.startExecution(stateMachineArn, workflowRequest(workflow), workflow.name)
      .executionArn,
  }));
  const descriptions = await Promise.all(
    started.map(({ executionArn }) => h.aws.sfn.waitForExecution(executionArn, timeoutMs)),
  );
  const sfn = new SFNClient({
    region: h.aws.region,
    endpoint: h.aws.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const finished: FinishedWorkflow[] = [];
    for (let at = 0; at < started.length; at += historyReadsAtOnce) {
      const chunk = started.slice(at, at + historyReadsAtOnce);
      const histories = await Promise.all(chunk.map(({ executionArn }) => fullHistory(sfn, executionArn)));
      chunk.forEach(({ workflow, executionArn }, i) => {
        const description = descriptions[at + i]!;
        const history = histories[i]!;
        finished.push({
          name: workflow.name,
          executionArn,
          status: description.status,
          ...(description.error ? { error: description.error } : {}),
          ...(description.cause ? { cause: description.cause } : {}),
          statesEntered: history
            .filter((e) => e.type?.endsWith('StateEntered'))
            .map((e) => e.stateEnteredEventDetails?.name ?? '?'),
          taskFailures: history.flatMap((e) => {
            const failed = e.lambdaFunctionFailedEventDetails ?? e.taskFailedEventDetails;
            return failed ? [failed.error ?? '(no error name)'] : [];
          }),
        });
      });
    }
    return finished;
  } finally {
    sfn.destroy();
  }
}

export const isTerminal = (status: string): boolean => status !== 'RUNNING';

/** Jobs in the S3 Control store per workflow name, counted by the description its request gave them. */
export function jobsPerWorkflow(h: Harness, workflows: ScenarioWorkflow[]): Map<string, number> {
  const byDescription = countValues(h.aws.s3control.engine.jobs().map((job) => job.Description ?? ''));
  return new Map(workflows.map((w) => [w.name, byDescription[jobDescription(w.name)] ?? 0]));
}

/** How many times each value occurs. */
export function countValues(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** `FAILED OrchestrationFailed` and the like, counted over the workflows that did not succeed. */
export function endsOtherThanSuccess(finished: readonly FinishedWorkflow[]): Record<string, number> {
  return countValues(
    finished
      .filter((run) => run.status !== 'SUCCEEDED')
      .map((run) => [run.status, run.error].filter(Boolean).join(' ')),
  );
}
