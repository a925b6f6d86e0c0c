/**
 * EventBridge errors. The code is the identity: the JSON 1.1 layer renders `{ "__type": code, "message" }`
 * with the status, and the SDK turns `__type` into its own exception class (ResourceNotFoundException, …).
 */
export type EventsErrorCode =
  | 'ResourceNotFoundException'
  | 'ResourceAlreadyExistsException'
  | 'ValidationException'
  | 'InvalidEventPatternException'
  | 'LimitExceededException'
  | 'InternalException'
  | 'SerializationException'
  | 'UnknownOperationException'
  | (string & {});

export class EventsServiceError extends Error {
  constructor(
    readonly code: EventsErrorCode,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export const eventBusNotFound = (bus: string) =>
  new EventsServiceError('ResourceNotFoundException', `Event bus ${bus} does not exist.`);

export const ruleNotFound = (rule: string, bus: string) =>
  new EventsServiceError('ResourceNotFoundException', `Rule ${rule} does not exist on EventBus ${bus}.`);

export const validation = (message: string) => new EventsServiceError('ValidationException', message);
