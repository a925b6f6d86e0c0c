/**
 * Lambda errors. Service errors (the call failed) carry AWS's code, rendered REST-JSON style with the
 * `x-amzn-ErrorType` header; function errors (the call worked, the handler threw) are a different thing on
 * the wire (HTTP 200 + `X-Amz-Function-Error`) and in-process (LambdaFunctionError).
 */
export class LambdaServiceError extends Error {
  constructor(
    readonly code: string,
    readonly httpStatus: number,
    message: string,
    /** Lambda's `Type` field: `User` for caller mistakes, `Service` for its own failures. */
    readonly type: 'User' | 'Service' = httpStatus >= 500 ? 'Service' : 'User',
  ) {
    super(message);
    this.name = code;
  }
}

/** What LambdaInvoker rejects with when the handler fails: `name` is the errorType Step Functions routes on. */
export class LambdaFunctionError extends Error {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: string[];
  constructor(payload: FunctionErrorPayload) {
    super(payload.errorMessage);
    this.name = payload.errorType;
    this.errorType = payload.errorType;
    this.errorMessage = payload.errorMessage;
    this.trace = payload.trace;
  }
}

export interface FunctionErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** The Node.js runtime's rendering of a thrown value. */
export function toFunctionErrorPayload(thrown: unknown): FunctionErrorPayload {
  if (thrown instanceof Error) {
    return {
      errorType: thrown.name || 'Error',
      errorMessage: thrown.message,
      trace: (thrown.stack ?? '').split('\n').filter((line) => line !== ''),
    };
  }
  return { errorType: typeof thrown, errorMessage: String(thrown), trace: [] };
}

export const functionNotFound = (arn: string) =>
  new LambdaServiceError('ResourceNotFoundException', 404, `Function not found: ${arn}`);
