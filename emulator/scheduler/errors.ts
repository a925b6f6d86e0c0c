/**
 * EventBridge Scheduler errors. REST-JSON: the HTTP status and the `x-amzn-ErrorType` header identify the
 * error (the SDK maps them to ValidationException, ConflictException, …), the body carries `Message`.
 */
export type SchedulerErrorCode =
  | 'ValidationException'
  | 'ConflictException'
  | 'ResourceNotFoundException'
  | 'ServiceQuotaExceededException'
  | 'ThrottlingException'
  | 'InternalServerException'
  | (string & {});

const STATUS: Record<string, number> = {
  ValidationException: 400,
  ConflictException: 409,
  ResourceNotFoundException: 404,
  ServiceQuotaExceededException: 402,
  ThrottlingException: 429,
  InternalServerException: 500,
};

export class SchedulerServiceError extends Error {
  readonly httpStatus: number;

  constructor(
    readonly code: SchedulerErrorCode,
    message: string,
    httpStatus?: number,
  ) {
    super(message);
    this.name = code;
    this.httpStatus = httpStatus ?? STATUS[code] ?? 400;
  }
}

export const validation = (message: string) => new SchedulerServiceError('ValidationException', message);

export const scheduleNotFound = (name: string) =>
  new SchedulerServiceError('ResourceNotFoundException', `Schedule ${name} does not exist.`);

export const groupNotFound = (name: string) =>
  new SchedulerServiceError('ResourceNotFoundException', `Schedule group ${name} does not exist.`);

export const invalidExpression = (expression: string) =>
  validation(`Invalid Schedule Expression ${expression}.`);
