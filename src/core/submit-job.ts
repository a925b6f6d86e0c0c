import type { JobRequestWithDefaults } from '../generated/types.js';
import { clientRequestToken } from './client-request-token.js';
import type { AppConfig } from './config.js';
import { estimateRequestCost } from './cost/request-estimate.js';
import { buildCreateJobInput, operationName } from './create-job-input.js';
import { RequestValidationError } from './errors.js';
import {
  manifestObjectOf,
  resolveManifestSource,
  summarizeManifestSource,
} from './manifest-source/resolve-manifest-source.js';
import { validatePolicy } from './policy/policy-settings.js';
import type { BatchJobsPort, Clock, ObjectStorePort } from './ports.js';
import { parseJobRequest } from './request-validation.js';
import type { SubmitJobInput, SubmittedJob } from './workflow-state.js';

export type { SubmitJobInput };

export interface SubmitJobDeps {
  jobs: BatchJobsPort;
  objects: ObjectStorePort;
  config: Pick<AppConfig, 'accountId' | 'batchRoleArn' | 'stage' | 'maxJobPriority'> &
    Partial<Pick<AppConfig, 'region'>>;
  clock: Clock;
}

/**
 * Validates the request, resolves what CreateJob needs (account, role, the source of objects: a manifest
 * and its ETag, the newest inventory report, or the generator with its filter dates) and creates the job with
 * a token derived from the execution: calling this twice for one execution yields one job. Everything that
 * can be wrong with the request is found before CreateJob is called.
 */
export async function submitJob(deps: SubmitJobDeps, input: SubmitJobInput): Promise<SubmittedJob> {
  const request = parseJobRequest(input.request);
  validatePolicy(request.policy, request.priority);
  checkPriorityCeiling(request, deps.config.maxJobPriority);
  const accountId = request.accountId ?? deps.config.accountId;
  if (!accountId)
    throw new RequestValidationError('accountId', 'is required: no default account is configured');
  const roleArn = request.roleArn ?? deps.config.batchRoleArn;
  if (!roleArn)
    throw new RequestValidationError('roleArn', 'is required: no default batch role is configured');

  const now = deps.clock.now();
  // Relative filter ages count back from the execution's start, the same instant on every retry of this
  // task, so a retried CreateJob carries the same input as its token (manifest-source/generator.ts).
  const source = await resolveManifestSource(deps.objects, request, {
    now,
    submitTime: new Date(input.execution.startTime),
  });
  // The budget guard: an over-budget request is refused here, before anything is created.
  const estimate = await estimateRequestCost(
    deps.objects,
    request,
    source,
    deps.config.region ?? 'us-east-1',
  );
  const token = clientRequestToken(input.execution.arn, request);
  const createJobInput = buildCreateJobInput(request, {
    accountId,
    roleArn,
    source,
    clientRequestToken: token,
    stage: deps.config.stage,
    fallbackDescription: `s3-batch-orchestrator ${input.execution.name}`,
  });
  const { jobId } = await deps.jobs.createJob(createJobInput);

  // parseJobRequest filled every default from the schema (`wait` itself defaults to {}), so none is
  // repeated here.
  const wait = request.wait;
  const manifest = manifestObjectOf(source);
  return {
    jobId,
    accountId,
    clientRequestToken: token,
    operation: operationName(request),
    priority: createJobInput.Priority,
    submittedAt: now.toISOString(),
    deadline: new Date(now.getTime() + wait.timeoutSeconds * 1000).toISOString(),
    confirmationRequired: createJobInput.ConfirmationRequired,
    autoConfirm: request.autoConfirm,
    ...(manifest === undefined ? {} : { manifest }),
    manifestSource: summarizeManifestSource(source),
    report: {
      enabled: request.report.enabled,
      scope: request.report.scope,
      ...(request.report.bucket ? { bucket: request.report.bucket } : {}),
      ...(request.report.prefix ? { prefix: request.report.prefix } : {}),
    },
    wait,
    policy: request.policy ?? null,
    attempt: 1,
    continuations: 0,
    ...(estimate ? { estimate } : {}),
  };
}

/**
 * The stage's IAM grants CreateJob and UpdateJobPriority only up to its maxJobPriority
 * (s3:RequestJobPriority): a higher priority would fail on AWS with AccessDenied, after the job request had
 * been accepted. Found here it is a clear rejection naming the field, before anything is created.
 */
function checkPriorityCeiling(request: JobRequestWithDefaults, ceiling: number | undefined): void {
  if (ceiling === undefined) return;
  const asked: [string, number | undefined][] = [
    ['priority', request.priority],
    ['policy.reprioritize.raisedPriority', request.policy?.reprioritize?.raisedPriority],
  ];
  for (const [field, value] of asked) {
    if (value !== undefined && value > ceiling) {
      throw new RequestValidationError(field, `must not exceed ${ceiling}, this stage's maxJobPriority`);
    }
  }
}
