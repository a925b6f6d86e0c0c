import type { SchemaValidator } from '../generated/validators.js';

/**
 * One validator for a Lambda that takes two input shapes, told apart by `isSecond` (e.g. a key only the
 * second has): the matching shape's validator decides, and its errors are the ones reported.
 */
export function eitherInput<A, B>(
  isSecond: (data: unknown) => boolean,
  first: SchemaValidator<A>,
  second: SchemaValidator<B>,
): SchemaValidator<A | B> {
  let last: SchemaValidator<A> | SchemaValidator<B> = first;
  const validate = (data: unknown): data is A | B => {
    last = isSecond(data) ? second : first;
    return last(data);
  };
  Object.defineProperty(validate, 'errors', { get: () => last.errors, enumerable: true });
  return validate as SchemaValidator<A | B>;
}
