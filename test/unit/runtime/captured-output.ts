/** What a handler writes: Powertools Logger and Metrics write to stdout and stderr directly, not through console. */
import { vi } from 'vitest';

/** Everything written to stdout and stderr while `act` runs; a rejection of `act` is swallowed. */
export async function capturedOutput(act: () => Promise<unknown>): Promise<string> {
  const chunks: string[] = [];
  const capture = (chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await act().catch(() => undefined);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return chunks.join('');
}

/** The non-blank lines of `capturedOutput`. */
export async function capturedLines(act: () => Promise<unknown>): Promise<string[]> {
  return (await capturedOutput(act)).split('\n').filter((line) => line.trim() !== '');
}
