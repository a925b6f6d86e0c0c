/**
 * LambdaInvoke tasks ("Invoke AWS Lambda function", S3 User Guide): one task per invocation, invocation
 * schema 1.0 (`tasks[].s3BucketArn`) or 2.0 (`tasks[].s3Bucket`, `job.userArguments`, `s3VersionId` null when
 * absent). Keys are sent URL-encoded, as in the manifest. The function's `results[0].resultCode` decides:
 * Succeeded, TemporaryFailure (retried with backoff, then failed), PermanentFailure; a missing result falls
 * back to `treatMissingKeysAs`; a function error fails the task.
 */
import { randomBytes } from 'node:crypto';
import type { LambdaInvoker } from '../contracts.js';
import type { OperationParams, TaskOutcome, TaskRow } from './types.js';

export interface LambdaTaskContext {
  jobId: string;
  params: OperationParams;
  lambda: LambdaInvoker;
  maxAttempts: number;
  backoff(attempt: number): Promise<void>;
}

const base64Id = (bytes: number) => randomBytes(bytes).toString('base64').replace(/=+$/, '');

export function buildInvocationEvent(
  context: Pick<LambdaTaskContext, 'jobId' | 'params'>,
  row: TaskRow,
  taskId: string,
): Record<string, unknown> {
  const [bucket, encodedKey, versionId] = row;
  const v2 = context.params.InvocationSchemaVersion === '2.0';
  const job: Record<string, unknown> = { id: context.jobId };
  if (v2 && context.params.UserArguments) job.userArguments = { ...context.params.UserArguments };
  const task = v2
    ? { taskId, s3Key: encodedKey, s3VersionId: versionId, s3Bucket: bucket }
    : { taskId, s3Key: encodedKey, s3VersionId: versionId, s3BucketArn: `arn:aws:s3:::${bucket}` };
  return {
    invocationSchemaVersion: v2 ? '2.0' : '1.0',
    invocationId: base64Id(39),
    job,
    tasks: [task],
  };
}

interface LambdaResult {
  taskId?: string;
  resultCode?: string;
  resultString?: string;
}

function readResult(response: unknown, taskId: string): { code: string; message: string } | undefined {
  if (typeof response !== 'object' || response === null) return undefined;
  const body = response as { treatMissingKeysAs?: string; results?: LambdaResult[] };
  const results = Array.isArray(body.results) ? body.results : [];
  const result = results.find((r) => r?.taskId === taskId) ?? results[0];
  const fallback = body.treatMissingKeysAs ?? 'PermanentFailure';
  if (!result) return { code: fallback, message: 'Lambda response contained no result for the task' };
  return { code: result.resultCode ?? fallback, message: result.resultString ?? '' };
}

export async function runLambdaTask(context: LambdaTaskContext, row: TaskRow): Promise<TaskOutcome> {
  const taskId = base64Id(18);
  const functionArn = String(context.params.FunctionArn);
  for (let attempt = 1; ; attempt++) {
    let response: unknown;
    try {
      response = await context.lambda.invoke(functionArn, buildInvocationEvent(context, row, taskId));
    } catch (error) {
      const { errorType, errorMessage } = (error ?? {}) as { errorType?: string; errorMessage?: string };
      const payload = JSON.stringify({
        errorMessage: errorMessage ?? (error instanceof Error ? error.message : String(error)),
        ...(errorType ? { errorType } : {}),
      });
      return {
        succeeded: false,
        httpStatus: 200,
        errorCode: 'PermanentFailure',
        message: `Lambda returned function error: ${payload}`,
      };
    }
    const result = readResult(response, taskId);
    if (!result) {
      return {
        succeeded: false,
        httpStatus: 200,
        errorCode: 'PermanentFailure',
        message: 'Lambda returned an invalid response: expected an object with results[]',
      };
    }
    if (result.code === 'Succeeded')
      return { succeeded: true, httpStatus: 200, errorCode: '', message: result.message };
    if (result.code === 'TemporaryFailure' && attempt < context.maxAttempts) {
      await context.backoff(attempt);
      continue;
    }
    const code = result.code === 'TemporaryFailure' ? 'TemporaryFailure' : 'PermanentFailure';
    return { succeeded: false, httpStatus: 200, errorCode: code, message: result.message };
  }
}
