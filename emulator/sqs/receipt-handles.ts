/**
 * Receipt handles: opaque to clients, here base64url of queue, message id and a per-receive nonce, so each
 * receive hands out a new handle and only the latest one deletes (the "DeleteMessage" documentation).
 */
import { receiptHandleIsInvalid } from './errors.js';

export interface Receipt {
  queue: string;
  messageId: string;
  nonce: string;
}

export const encodeReceipt = (receipt: Receipt): string =>
  Buffer.from(`${receipt.queue}\n${receipt.messageId}\n${receipt.nonce}`, 'utf8').toString('base64url');

export function decodeReceipt(handle: unknown, queue: string): Receipt {
  if (typeof handle !== 'string' || handle === '') throw receiptHandleIsInvalid(String(handle));
  const parts = Buffer.from(handle, 'base64url').toString('utf8').split('\n');
  if (parts.length !== 3 || parts[0] !== queue || !parts[1] || !parts[2])
    throw receiptHandleIsInvalid(handle);
  return { queue: parts[0], messageId: parts[1], nonce: parts[2] };
}
