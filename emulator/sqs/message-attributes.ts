/**
 * Message attributes: validation ("Amazon SQS message attributes": at most 10, names of letters, digits,
 * `_ - .`, types String / Number / Binary with an optional `.suffix`) and MD5OfMessageAttributes, computed the
 * way SQS documents it: per attribute in name order, length-prefixed name, type and value with a transport byte.
 */
import { createHash } from 'node:crypto';
import { invalidParameter } from './errors.js';
import type { MessageAttributeValue } from './model.js';

const MAX_ATTRIBUTES = 10;
const NAME = /^(?!aws\.|amazon\.)(?!\.)[A-Za-z0-9_.-]{1,256}(?<!\.)$/i;
const TYPE = /^(String|Number|Binary)(\.[A-Za-z0-9_.-]+)?$/;

export function validateMessageAttributes(raw: unknown): Record<string, MessageAttributeValue> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw invalidParameter('MessageAttributes must be a map of name to attribute value.');
  const entries = Object.entries(raw as Record<string, Record<string, unknown>>);
  if (entries.length === 0) return undefined;
  if (entries.length > MAX_ATTRIBUTES)
    throw invalidParameter(
      `Number of message attributes [${entries.length}] exceeds the allowed maximum [10].`,
    );
  const result: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of entries) {
    if (!NAME.test(name) || name.includes('..'))
      throw invalidParameter(`Message attribute name '${name}' is invalid.`);
    const dataType = value?.DataType;
    if (typeof dataType !== 'string' || !TYPE.test(dataType))
      throw invalidParameter(`The message attribute '${name}' has an invalid message attribute type.`);
    const binary = dataType.startsWith('Binary');
    const text = binary ? value.BinaryValue : value.StringValue;
    if (typeof text !== 'string' || text === '')
      throw invalidParameter(
        `The message attribute '${name}' must contain a non-empty ${binary ? 'BinaryValue' : 'StringValue'}.`,
      );
    if (dataType.startsWith('Number') && !Number.isFinite(Number(text)))
      throw invalidParameter(`Can't cast the value of message (user) attribute '${name}' to a number.`);
    result[name] = binary
      ? { DataType: dataType, BinaryValue: text }
      : { DataType: dataType, StringValue: text };
  }
  return result;
}

export function md5OfMessageAttributes(attributes: Record<string, MessageAttributeValue>): string {
  const hash = createHash('md5');
  const lengthPrefixed = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name]!;
    lengthPrefixed(Buffer.from(name, 'utf8'));
    lengthPrefixed(Buffer.from(value.DataType, 'utf8'));
    if (value.BinaryValue !== undefined) {
      hash.update(Buffer.from([2]));
      lengthPrefixed(Buffer.from(value.BinaryValue, 'base64'));
    } else {
      hash.update(Buffer.from([1]));
      lengthPrefixed(Buffer.from(value.StringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}

export const md5Hex = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');
