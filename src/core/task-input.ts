import type { SchemaValidator } from '../generated/validators.js';
import { TaskInputError } from './errors.js';
import { explainSchemaError, mostSpecific } from './schema-errors.js';

/**
 * Checks a Lambda's input against its generated validator, which also fills the schema's defaults in place
 * (the workflow state's wait settings, for one), and returns it typed. Throws TaskInputError naming the task
 * and the first offending field: the state machine built this input, so a mismatch is a bug or a forged
 * state, and retrying cannot help.
 */
export function parseTaskInput<T>(task: string, validate: SchemaValidator<T>, input: unknown): T {
  if (validate(input)) return input;
  const { field, reason } = explainSchemaError(mostSpecific(validate.errors ?? []), 'input');
  throw new TaskInputError(task, field, reason);
}
