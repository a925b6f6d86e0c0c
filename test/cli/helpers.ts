/** In-process harness for the `s3bo` program: captured output, a fake clock, injected SDK clients. */

import type { CliIo } from '../../cli/io.js';
import { runCli } from '../../cli/main.js';
import type { AwsClients } from '../../src/adapters/aws/index.js';

export interface FakeIo {
  io: CliIo;
  stdout(): string;
  stderr(): string;
  /** Runs on every `sleep`, after the clock moved: lets a test change the world between polls. */
  onSleep?: (ms: number) => void | Promise<void>;
}

export function fakeIo(
  options: { env?: Record<string, string>; tty?: boolean; start?: string } = {},
): FakeIo {
  let now = new Date(options.start ?? '2026-11-26T10:00:00.000Z').getTime();
  const out: string[] = [];
  const err: string[] = [];
  const fake: FakeIo = {
    io: {
      stdout: { write: (text: string) => out.push(text), isTTY: options.tty ?? false },
      stderr: { write: (text: string) => err.push(text), isTTY: options.tty ?? false },
      // No AWS_* from the developer's shell: tests must not depend on it.
      env: { ...options.env },
      now: () => new Date(now),
      sleep: async (ms: number) => {
        now += ms;
        await fake.onSleep?.(ms);
      },
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
  return fake;
}

export async function s3bo(
  argv: string[],
  options: { fake?: FakeIo; clients?: Partial<AwsClients> } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const fake = options.fake ?? fakeIo();
  const code = await runCli(argv, { io: fake.io, ...(options.clients ? { clients: options.clients } : {}) });
  return { code, stdout: fake.stdout(), stderr: fake.stderr() };
}
