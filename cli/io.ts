/**
 * What the CLI touches of its process: output streams, environment, clock. Commands get it injected, so
 * tests run the whole program in-process and read what it printed.
 */

export interface OutputStream {
  write(text: string): unknown;
  /** True on a terminal: `watch` then redraws one progress line instead of printing plain lines. */
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}

/** Printing helpers over an `OutputStream`. */
export function println(stream: OutputStream, text = ''): void {
  stream.write(`${text}\n`);
}

export function printJson(stream: OutputStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}
