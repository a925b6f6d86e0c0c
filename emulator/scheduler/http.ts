/**
 * EventBridge Scheduler over REST-JSON, as @aws-sdk/client-scheduler sends it (signing name `scheduler`):
 * `POST|GET|PUT|DELETE /schedules/{Name}` (query `groupName`, `clientToken`), `GET /schedules` (query
 * `ScheduleGroup`, `NamePrefix`, `State`, `NextToken`, `MaxResults`), `POST|GET|DELETE /schedule-groups/{Name}`,
 * `GET /schedule-groups`, `GET|POST|DELETE /tags/{ResourceArn}` (query `TagKeys`). Errors carry the code in
 * `x-amzn-ErrorType` and `{ "Message" }` in the body.
 */
import { randomUUID } from 'node:crypto';
import type { FaultInjector, HttpRequest, HttpResponse, ServiceHandler } from '../contracts.js';
import { SchedulerServiceError } from './errors.js';
import type { SchedulerOperations } from './operations.js';
import type { Body } from './validation.js';

/** The service name in a SigV4 Authorization header's credential scope (`…/us-east-1/scheduler/aws4_request`). */
export function signingNameOf(headers: Record<string, string>): string | undefined {
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(headers.authorization ?? '')?.[1];
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...headers },
    body: JSON.stringify(body),
  };
}

function parseBody(request: HttpRequest): Body {
  const text = request.body.toString('utf8').trim();
  if (text === '') return {};
  try {
    const parsed = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Body;
  } catch {
    // reported below
  }
  throw new SchedulerServiceError('ValidationException', 'The request body is not a JSON object.');
}

const queryOf = (request: HttpRequest): Body => Object.fromEntries(request.query.entries());

interface Route {
  operation: string;
  run(ops: SchedulerOperations, request: HttpRequest): Body;
}

function route(request: HttpRequest): Route | undefined {
  const { method, path } = request;
  const schedule = /^\/schedules\/([^/]+)$/.exec(path)?.[1];
  if (schedule !== undefined) {
    const group = request.query.get('groupName') ?? undefined;
    if (method === 'POST')
      return { operation: 'CreateSchedule', run: (ops, req) => ops.CreateSchedule(schedule, parseBody(req)) };
    if (method === 'PUT')
      return { operation: 'UpdateSchedule', run: (ops, req) => ops.UpdateSchedule(schedule, parseBody(req)) };
    if (method === 'GET') return { operation: 'GetSchedule', run: (ops) => ops.GetSchedule(schedule, group) };
    if (method === 'DELETE')
      return { operation: 'DeleteSchedule', run: (ops) => ops.DeleteSchedule(schedule, group) };
  }
  if (path === '/schedules' && method === 'GET')
    return { operation: 'ListSchedules', run: (ops, req) => ops.ListSchedules(queryOf(req)) };
  const group = /^\/schedule-groups\/([^/]+)$/.exec(path)?.[1];
  if (group !== undefined) {
    if (method === 'POST')
      return {
        operation: 'CreateScheduleGroup',
        run: (ops, req) => ops.CreateScheduleGroup(group, parseBody(req)),
      };
    if (method === 'GET') return { operation: 'GetScheduleGroup', run: (ops) => ops.GetScheduleGroup(group) };
    if (method === 'DELETE')
      return { operation: 'DeleteScheduleGroup', run: (ops) => ops.DeleteScheduleGroup(group) };
  }
  if (path === '/schedule-groups' && method === 'GET')
    return { operation: 'ListScheduleGroups', run: (ops, req) => ops.ListScheduleGroups(queryOf(req)) };
  if (path.startsWith('/tags/')) {
    const arn = path.slice('/tags/'.length);
    if (method === 'GET')
      return { operation: 'ListTagsForResource', run: (ops) => ops.ListTagsForResource(arn) };
    if (method === 'POST')
      return { operation: 'TagResource', run: (ops, req) => ops.TagResource(arn, parseBody(req)) };
    if (method === 'DELETE')
      return {
        operation: 'UntagResource',
        run: (ops, req) => ops.UntagResource(arn, req.query.getAll('TagKeys')),
      };
  }
  return undefined;
}

export function createSchedulerHandler(
  operations: SchedulerOperations,
  faults?: FaultInjector,
): ServiceHandler {
  return async (request) => {
    try {
      const found = route(request);
      if (!found) {
        throw new SchedulerServiceError(
          'UnknownOperationException',
          `No EventBridge Scheduler operation for ${request.method} ${request.path}`,
          404,
        );
      }
      const fault = await faults?.before('scheduler', found.operation);
      if (fault) throw new SchedulerServiceError(fault.code, fault.message, fault.httpStatus);
      return json(200, found.run(operations, request));
    } catch (error) {
      if (error instanceof SchedulerServiceError) {
        return json(error.httpStatus, { Message: error.message }, { 'x-amzn-errortype': error.code });
      }
      return json(
        500,
        { Message: (error as Error).message ?? String(error) },
        { 'x-amzn-errortype': 'InternalServerException' },
      );
    }
  };
}
