/**
 * Helpers for the EventBridge and Lambda emulator tests. Storage, clock, faults and the HTTP endpoint are the
 * emulator's own, from the shared kit (test/emulator/kit.ts).
 */
export { ACCOUNT_ID, CREDENTIALS, REGION } from '../kit.js';

/** Poll until `check` passes (deliveries are asynchronous). */
export async function eventually(check: () => void, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** A JSON fixture from test/fixtures. */
export async function fixture(name: string): Promise<unknown> {
  const { readFile } = await import('node:fs/promises');
  const { fileURLToPath } = await import('node:url');
  return JSON.parse(
    await readFile(fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url)), 'utf8'),
  );
}
