/**
 * SQS errors. The JSON 1.0 protocol identifies an error by `__type` (`com.amazonaws.sqs#QueueDoesNotExist`);
 * SQS is "awsQueryCompatible", so it also sends the old Query code in `x-amzn-query-error: <code>;<Sender|Receiver>`,
 * which the SDK exposes as the error's `Code`.
 */
export class SqsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 400,
    /** The Query-protocol code (`AWS.SimpleQueueService.NonExistentQueue`), when it differs from `code`. */
    readonly queryCode: string = code,
  ) {
    super(message);
    this.name = code;
  }
}

export const invalidParameter = (message: string) =>
  new SqsServiceError('InvalidParameterValue', message, 400, 'InvalidParameterValue');

export const invalidAttributeValue = (message: string) =>
  new SqsServiceError('InvalidAttributeValue', message, 400, 'InvalidAttributeValue');

export const queueDoesNotExist = () =>
  new SqsServiceError(
    'QueueDoesNotExist',
    'The specified queue does not exist.',
    400,
    'AWS.SimpleQueueService.NonExistentQueue',
  );

export const receiptHandleIsInvalid = (handle: string) =>
  new SqsServiceError(
    'ReceiptHandleIsInvalid',
    `The input receipt handle "${handle}" is not a valid receipt handle.`,
    400,
    'ReceiptHandleIsInvalid',
  );

export const missingParameter = (name: string) =>
  new SqsServiceError('MissingParameter', `The request must contain the parameter ${name}.`, 400);
