/**
 * S3 Control jobs over REST-XML, exactly as the AWS SDK v3 S3ControlClient sends them (URIs, query names
 * and element names checked against @aws-sdk/client-s3-control's schemas): `/v20180820/jobs…`, the account
 * in the `x-amz-account-id` header (or the `<account>.` host prefix), lists as `<member>` elements.
 */
import { randomUUID } from 'node:crypto';
import type {
  EmulatorClock,
  EventSink,
  FaultInjector,
  HttpRequest,
  HttpResponse,
  ServiceHandler,
} from '../contracts.js';
import {
  fingerprintRequest,
  parseRequestBody,
  validateCreateJob,
  validateTags,
} from './create-job-request.js';
import type { JobEngine } from './engine.js';
import {
  badRequest,
  idempotencyConflict,
  jobStatusConflict,
  newRequestId,
  notFound,
  renderError,
  S3ControlError,
  tooManyTags,
} from './errors.js';
import { emitJobEvent } from './job-events.js';
import type { JobStore } from './job-store.js';
import { describeJobView, listJobView } from './job-views.js';
import { isTerminal } from './lifecycle.js';
import type { JobRecord, JobStatus } from './types.js';
import { renderXmlDocument } from './xml.js';

export interface HandlerDeps {
  store: JobStore;
  engine: JobEngine;
  clock: EmulatorClock;
  events: EventSink;
  faults?: FaultInjector;
  region: string;
  defaultAccountId: string;
}

const API_PREFIX = '/v20180820/';
const ALL_STATUSES: readonly JobStatus[] = [
  'Active',
  'Cancelled',
  'Cancelling',
  'Complete',
  'Completing',
  'Failed',
  'Failing',
  'New',
  'Paused',
  'Pausing',
  'Preparing',
  'Ready',
  'Suspended',
];
/** ListJobs returns jobs that ended within the last 90 days. */
const LIST_RETENTION_MS = 90 * 24 * 3600 * 1000;

interface Route {
  operation: string;
  jobId?: string;
}

function route(method: string, path: string): Route | undefined {
  if (path === '/v20180820/jobs' || path === '/v20180820/jobs/') {
    if (method === 'POST') return { operation: 'CreateJob' };
    if (method === 'GET') return { operation: 'ListJobs' };
    return undefined;
  }
  const match = /^\/v20180820\/jobs\/([^/]+)(?:\/(priority|status|tagging))?\/?$/.exec(path);
  if (!match) return undefined;
  const jobId = decodeURIComponent(match[1]!);
  const sub = match[2];
  if (!sub && method === 'GET') return { operation: 'DescribeJob', jobId };
  if (sub === 'priority' && method === 'POST') return { operation: 'UpdateJobPriority', jobId };
  if (sub === 'status' && method === 'POST') return { operation: 'UpdateJobStatus', jobId };
  if (sub === 'tagging') {
    const operation = { GET: 'GetJobTagging', PUT: 'PutJobTagging', DELETE: 'DeleteJobTagging' }[method];
    if (operation) return { operation, jobId };
  }
  return undefined;
}

function resolveAccountId(request: HttpRequest, fallback: string): string {
  const accountId = request.headers['x-amz-account-id'] ?? /^(\d{12})\./.exec(request.host)?.[1] ?? fallback;
  if (!/^\d{12}$/.test(accountId)) throw badRequest('AccountId must be 12 digits');
  return accountId;
}

function xmlResponse(rootName: string, content: Record<string, unknown>): HttpResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': newRequestId() },
    body: renderXmlDocument(rootName, content),
  };
}

const emptyResponse = (): HttpResponse => ({
  status: 200,
  headers: { 'x-amz-request-id': newRequestId() },
  body: '',
});

export function createS3ControlHandler(deps: HandlerDeps): ServiceHandler {
  const { store, engine, clock } = deps;

  const findJob = (accountId: string, jobId: string): JobRecord => {
    const record = store.get(jobId);
    if (!record || record.accountId !== accountId) throw notFound(jobId);
    return record;
  };

  const createJob = (request: HttpRequest, accountId: string): HttpResponse => {
    const input = validateCreateJob(parseRequestBody(request.body, 'CreateJobRequest'));
    const fingerprint = fingerprintRequest(input);
    const existing = store
      .all()
      .find((job) => job.accountId === accountId && job.clientRequestToken === input.ClientRequestToken);
    if (existing) {
      if (existing.requestFingerprint !== fingerprint) throw idempotencyConflict();
      return xmlResponse('CreateJobResult', { JobId: existing.JobId });
    }
    const jobId = randomUUID();
    const now = clock.now();
    const record: JobRecord = {
      accountId,
      region: deps.region,
      JobId: jobId,
      JobArn: `arn:aws:s3:${deps.region}:${accountId}:job/${jobId}`,
      Status: 'New',
      Priority: input.Priority,
      ConfirmationRequired: input.ConfirmationRequired,
      ...(input.Description !== undefined ? { Description: input.Description } : {}),
      Operation: input.Operation,
      ...(input.Manifest ? { Manifest: input.Manifest } : {}),
      ...(input.ManifestGenerator ? { ManifestGenerator: input.ManifestGenerator } : {}),
      Report: input.Report,
      RoleArn: input.RoleArn,
      Tags: input.Tags,
      CreationTime: now.toISOString(),
      FailureReasons: [],
      clientRequestToken: input.ClientRequestToken,
      requestFingerprint: fingerprint,
      progress: { total: 0, succeeded: 0, failed: 0, activeSeconds: 0 },
      resultSegments: 0,
    };
    store.save(record);
    emitJobEvent(deps.events, record, 'JobCreated', now);
    engine.submitted(record);
    return xmlResponse('CreateJobResult', { JobId: jobId });
  };

  const listJobs = (request: HttpRequest, accountId: string): HttpResponse => {
    const statuses = request.query.getAll('jobStatuses');
    const unknown = statuses.filter((status) => !(ALL_STATUSES as readonly string[]).includes(status));
    if (unknown.length > 0) throw badRequest(`Invalid jobStatuses: ${unknown.join(', ')}`);
    const maxParam = request.query.get('maxResults');
    const maxResults = maxParam === null ? 1000 : Number(maxParam);
    if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > 1000) {
      throw badRequest('maxResults must be an integer between 0 and 1000');
    }
    const token = request.query.get('nextToken');
    const offset = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0) {
      throw new S3ControlError('InvalidNextTokenException', 400, 'The nextToken is invalid');
    }
    const now = clock.now();
    const jobs = store
      .all()
      .filter((job) => job.accountId === accountId)
      .filter((job) => statuses.length === 0 || statuses.includes(job.Status))
      .filter(
        (job) => !job.TerminationDate || now.getTime() - Date.parse(job.TerminationDate) <= LIST_RETENTION_MS,
      )
      .sort((a, b) => b.CreationTime.localeCompare(a.CreationTime) || a.JobId.localeCompare(b.JobId));
    const page = jobs.slice(offset, offset + maxResults);
    const next =
      offset + page.length < jobs.length
        ? Buffer.from(String(offset + page.length)).toString('base64url')
        : undefined;
    return xmlResponse('ListJobsResult', { NextToken: next, Jobs: page.map((job) => listJobView(job, now)) });
  };

  const updatePriority = (request: HttpRequest, record: JobRecord): HttpResponse => {
    const raw = request.query.get('priority');
    const priority = raw === null || raw.trim() === '' ? Number.NaN : Number(raw);
    if (!Number.isInteger(priority) || priority < 0 || priority > 2_147_483_647) {
      throw badRequest('priority must be an integer between 0 and 2147483647');
    }
    if (isTerminal(record.Status))
      throw badRequest(`Job ${record.JobId} is ${record.Status}; its priority cannot change`);
    engine.reprioritize(record, priority);
    return xmlResponse('UpdateJobPriorityResult', { JobId: record.JobId, Priority: record.Priority });
  };

  const updateStatus = (request: HttpRequest, record: JobRecord): HttpResponse => {
    const requested = request.query.get('requestedJobStatus');
    const reason = request.query.get('statusUpdateReason') ?? undefined;
    if (reason !== undefined && (reason.length < 1 || reason.length > 256)) {
      throw badRequest('statusUpdateReason must be 1-256 characters');
    }
    if (requested === 'Cancelled') {
      if (record.Status !== 'Cancelling') {
        if (!engine.isCancellable(record.Status)) {
          throw jobStatusConflict(`Job ${record.JobId} is ${record.Status} and cannot be cancelled`);
        }
        engine.cancel(record, reason);
      }
    } else if (requested === 'Ready') {
      if (record.Status !== 'Suspended') {
        throw jobStatusConflict(
          `Job ${record.JobId} is ${record.Status}; only a Suspended job can be made Ready`,
        );
      }
      engine.confirm(record, reason);
    } else {
      throw badRequest('requestedJobStatus must be Cancelled or Ready');
    }
    return xmlResponse('UpdateJobStatusResult', {
      JobId: record.JobId,
      Status: record.Status,
      StatusUpdateReason: record.StatusUpdateReason,
    });
  };

  const putTagging = (request: HttpRequest, record: JobRecord): HttpResponse => {
    const body = parseRequestBody(request.body, 'PutJobTaggingRequest');
    const tags = validateTags(body.Tags ?? [], 'Tags');
    if (tags.length > 50) throw tooManyTags();
    record.Tags = tags;
    store.save(record);
    return emptyResponse();
  };

  const dispatch = (request: HttpRequest, target: Route, accountId: string): HttpResponse => {
    if (target.operation === 'CreateJob') return createJob(request, accountId);
    if (target.operation === 'ListJobs') return listJobs(request, accountId);
    const record = findJob(accountId, target.jobId!);
    switch (target.operation) {
      case 'DescribeJob':
        return xmlResponse('DescribeJobResult', { Job: describeJobView(record, clock.now()) });
      case 'UpdateJobPriority':
        return updatePriority(request, record);
      case 'UpdateJobStatus':
        return updateStatus(request, record);
      case 'GetJobTagging':
        return xmlResponse('GetJobTaggingResult', { Tags: record.Tags });
      case 'PutJobTagging':
        return putTagging(request, record);
      default:
        record.Tags = [];
        store.save(record);
        return emptyResponse();
    }
  };

  return async (request) => {
    try {
      if (!request.path.startsWith(API_PREFIX)) throw badRequest(`Not an S3 Control path: ${request.path}`);
      const target = route(request.method.toUpperCase(), request.path);
      if (!target) {
        return renderError({
          code: 'NotImplemented',
          httpStatus: 501,
          message: `${request.method} ${request.path} is not emulated`,
        });
      }
      const fault = await deps.faults?.before('s3control', target.operation);
      if (fault) return renderError(fault);
      return dispatch(request, target, resolveAccountId(request, deps.defaultAccountId));
    } catch (error) {
      if (error instanceof S3ControlError) return renderError(error);
      return renderError({
        code: 'InternalServiceException',
        httpStatus: 500,
        message: (error as Error).message,
      });
    }
  };
}
