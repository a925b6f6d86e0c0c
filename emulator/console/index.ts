/**
 * The local console: `/_console/` on the emulator's own port (a path no AWS API uses; a path-style S3 request
 * cannot reach it, bucket names cannot start with `_`). Its pages are static files; their data comes from the
 * JSON routes below, each answering one page, read from the services in-process (jobs' actions and the
 * Step Functions and EventBridge reads go through the services' wire handlers).
 */
import type { EmulatorClock, HttpRequest, HttpResponse, ServiceHandler, Storage } from '../contracts.js';
import type { S3Operations } from '../s3/operations.js';
import type { JobRecord } from '../s3control/types.js';
import type { SchedulerService } from '../scheduler/index.js';
import type { SqsService } from '../sqs/index.js';
import { createCampaignsView } from './campaigns-view.js';
import { createEventsView } from './events-view.js';
import { createExecutionsView } from './executions-view.js';
import {
  ConsoleRequestError,
  DEFAULT_PAGE,
  integerParam,
  json,
  MAX_PAGE,
  pageRequest,
  requiredParam,
} from './http.js';
import { applyJobAction, type JobAction, listJobs } from './jobs-view.js';
import { createObjectsView } from './objects-view.js';
import { createParentRunsView } from './parent-runs-view.js';
import { CONSOLE_PATH_PREFIX } from './paths.js';
import { serveConsoleFile } from './static-files.js';

export { CONSOLE_PATH_PREFIX, isConsolePath } from './paths.js';

/**
 * Actions must carry this header: a page on another origin cannot add it without a CORS preflight, which the
 * console never grants, so a web page the user visits cannot cancel their jobs.
 */
export const CONSOLE_ACTION_HEADER = 'x-s3bo-console';

export interface ConsoleDeps {
  clock: EmulatorClock;
  storage: Storage;
  s3: S3Operations;
  s3control: { handler: ServiceHandler; engine: { jobs(): JobRecord[] } };
  sfn: { handler: ServiceHandler };
  events: { handler: ServiceHandler };
  scheduler: SchedulerService;
  sqs: SqsService;
  /** Where the static files are (default: the repository's console/). */
  filesDir?: string;
}

type Route = (request: HttpRequest, match: RegExpExecArray) => unknown | Promise<unknown>;

export function createConsoleHandler(deps: ConsoleDeps): ServiceHandler {
  const now = () => deps.clock.now();
  const executions = createExecutionsView(deps.sfn.handler, now);
  const events = createEventsView(deps.storage, deps.events.handler);
  const objects = createObjectsView(deps.s3);
  const campaigns = createCampaignsView(deps.scheduler, deps.sqs, now);
  const parentRuns = createParentRunsView(deps.sfn.handler, () => deps.s3control.engine.jobs());
  const cursorPage = (request: HttpRequest) => ({
    limit: integerParam(request, 'limit', DEFAULT_PAGE, 1, MAX_PAGE),
    cursor: request.query.get('cursor') || null,
  });

  const reads: [RegExp, Route][] = [
    [
      /^jobs$/,
      (request) => listJobs(deps.s3control.engine.jobs(), request.query.get('status'), pageRequest(request)),
    ],
    [/^state-machines$/, () => executions.stateMachines()],
    [
      /^executions$/,
      (request) => {
        const { limit, cursor } = cursorPage(request);
        return executions.executions(
          requiredParam(request, 'stateMachineArn'),
          limit,
          cursor,
          request.query.get('status'),
        );
      },
    ],
    [/^execution$/, (request) => executions.execution(requiredParam(request, 'arn'))],
    [
      /^execution\/history$/,
      (request) => {
        const { limit, cursor } = cursorPage(request);
        return executions.history(requiredParam(request, 'arn'), limit, cursor);
      },
    ],
    [/^buses$/, () => events.buses()],
    [/^events$/, (request) => events.page(requiredParam(request, 'bus'), request.query)],
    [/^buckets$/, () => objects.buckets()],
    [
      /^objects$/,
      (request) =>
        objects.list(
          requiredParam(request, 'bucket'),
          request.query.get('prefix') ?? '',
          pageRequest(request),
        ),
    ],
    [
      /^object$/,
      (request) => objects.object(requiredParam(request, 'bucket'), requiredParam(request, 'key')),
    ],
    [/^schedules$/, () => campaigns.schedules()],
    [/^queues$/, () => campaigns.queues()],
    // Campaign runs and their targets: executions that started child executions, with each child's job.
    [/^runs$/, () => parentRuns.runs()],
    [/^time$/, () => ({ now: now().toISOString() })],
  ];

  const jobAction = async (request: HttpRequest, jobId: string, action: JobAction) => {
    if (request.headers[CONSOLE_ACTION_HEADER] !== '1') {
      throw new ConsoleRequestError(
        403,
        'Forbidden',
        `Console actions need the ${CONSOLE_ACTION_HEADER} header`,
      );
    }
    const record = deps.s3control.engine.jobs().find((job) => job.JobId === jobId);
    if (!record) throw new ConsoleRequestError(404, 'NoSuchJob', `No job ${jobId}`);
    await applyJobAction(deps.s3control.handler, record, action, request.query.get('priority'));
    return { ok: true };
  };

  const api = async (request: HttpRequest, route: string): Promise<HttpResponse> => {
    if (request.method === 'POST') {
      const action = /^jobs\/([^/]+)\/(confirm|cancel|priority)$/.exec(route);
      if (action) return json(200, await jobAction(request, action[1]!, action[2] as JobAction));
    } else if (request.method === 'GET') {
      for (const [pattern, read] of reads) {
        const match = pattern.exec(route);
        if (match) return json(200, await read(request, match));
      }
    }
    return json(404, {
      code: 'NotFound',
      message: `No console route ${request.method} /_console/api/${route}`,
    });
  };

  return async (request) => {
    if (request.path === '/_console') {
      return { status: 302, headers: { location: CONSOLE_PATH_PREFIX }, body: '' };
    }
    const relative = request.path.slice(CONSOLE_PATH_PREFIX.length);
    try {
      if (relative.startsWith('api/')) return await api(request, relative.slice('api/'.length));
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return json(405, { code: 'MethodNotAllowed', message: 'Console files take GET' });
      }
      return serveConsoleFile(relative, deps.filesDir);
    } catch (error) {
      if (error instanceof ConsoleRequestError)
        return json(error.status, { code: error.code, message: error.message });
      throw error;
    }
  };
}
