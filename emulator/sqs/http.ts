/**
 * SQS over the AWS JSON 1.0 protocol (what @aws-sdk/client-sqs speaks): `POST /`,
 * `x-amz-target: AmazonSQS.<Operation>`, JSON body; answers `application/x-amz-json-1.0`; errors
 * `{ "__type": "com.amazonaws.sqs#<Code>", "message" }` plus the Query code in `x-amzn-query-error`.
 */
import { randomUUID } from 'node:crypto';
import type { FaultInjector, HttpRequest, HttpResponse, ServiceHandler } from '../contracts.js';
import { SqsServiceError } from './errors.js';
import type { SqsOperations } from './operations.js';

const CONTENT_TYPE = 'application/x-amz-json-1.0';

export function createSqsHandler(operations: SqsOperations, faults?: FaultInjector): ServiceHandler {
  return async (request: HttpRequest): Promise<HttpResponse> => {
    try {
      const target = request.headers['x-amz-target'] ?? '';
      const operation = target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : '';
      const run = Object.hasOwn(operations, operation)
        ? operations[operation as keyof SqsOperations]
        : undefined;
      if (request.method !== 'POST' || typeof run !== 'function')
        throw new SqsServiceError('UnknownOperationException', `Unknown operation ${target}`);
      const fault = await faults?.before('sqs', operation);
      if (fault) throw new SqsServiceError(fault.code, fault.message, fault.httpStatus);
      const input = parseBody(request.body);
      const endpoint = `http://${request.host}`;
      const output = await (run as (input: unknown, endpoint: string) => unknown).call(
        operations,
        input,
        endpoint,
      );
      return {
        status: 200,
        headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': randomUUID() },
        body: JSON.stringify(output ?? {}),
      };
    } catch (error) {
      const failure =
        error instanceof SqsServiceError
          ? error
          : new SqsServiceError('InternalError', (error as Error)?.message ?? String(error), 500);
      return {
        status: failure.httpStatus,
        headers: {
          'content-type': CONTENT_TYPE,
          'x-amzn-requestid': randomUUID(),
          'x-amzn-query-error': `${failure.queryCode};${failure.httpStatus >= 500 ? 'Receiver' : 'Sender'}`,
        },
        body: JSON.stringify({ __type: `com.amazonaws.sqs#${failure.code}`, message: failure.message }),
      };
    }
  };
}

function parseBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new SqsServiceError('SerializationException', `Malformed JSON body: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new SqsServiceError('SerializationException', 'The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}
