import { randomUUID } from 'node:crypto';
import type { FaultInjector, HttpRequest, HttpResponse, ServiceHandler } from '../contracts.js';
import { SfnServiceError } from './errors.js';
import type { Body, Operation } from './service-context.js';

/** The service name fault rules use (`sfn:StartExecution`, `sfn:*`). */
export const FAULT_SERVICE = 'sfn';
const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

function errorResponse(code: string, message: string, status: number, requestId: string): HttpResponse {
  return {
    status,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId },
    // The SDK reads `__type` and keeps what follows `#`; AWS sends the namespaced form.
    body: JSON.stringify({ __type: `com.amazonaws.states#${code}`, message }),
  };
}

/**
 * The AWS JSON 1.0 protocol: `POST /` with `x-amz-target: AWSStepFunctions.<Operation>` and a JSON body;
 * dates in responses are epoch seconds; errors are 400 (faults use their own status).
 */
export function createJsonHandler(
  operations: Record<string, Operation>,
  faults?: FaultInjector,
): ServiceHandler {
  return async (request: HttpRequest): Promise<HttpResponse> => {
    const requestId = randomUUID();
    const target = request.headers['x-amz-target'] ?? '';
    const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const operation = Object.hasOwn(operations, name) ? operations[name] : undefined;
    if (!operation) {
      return errorResponse('UnknownOperationException', `Unknown operation ${target}`, 400, requestId);
    }
    const fault = await faults?.before(FAULT_SERVICE, name);
    if (fault) return errorResponse(fault.code, fault.message, fault.httpStatus, requestId);
    let body: Body;
    try {
      const text = request.body.toString('utf8');
      body = text.trim() === '' ? {} : (JSON.parse(text) as Body);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
    } catch {
      return errorResponse(
        'SerializationException',
        'Could not parse the request body as a JSON object',
        400,
        requestId,
      );
    }
    try {
      const result = await operation(body);
      return {
        status: 200,
        headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId },
        body: JSON.stringify(result),
      };
    } catch (error) {
      if (error instanceof SfnServiceError) {
        return errorResponse(error.code, error.message, error.httpStatus, requestId);
      }
      return errorResponse('InternalFailure', (error as Error)?.message ?? String(error), 500, requestId);
    }
  };
}
