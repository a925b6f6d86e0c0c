/**
 * The `s3bo` program against a real embedded local AWS (in memory, on a free loopback port, fast emulated
 * time) with this project deployed on it: what a user gets with `s3bo local` + `s3bo run`, in-process.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { FaultConfig } from '../../emulator/faults.js';
import { type LocalAws, type LocalAwsOptions, startLocalAws } from '../../emulator/local-aws.js';
import { deployProject, type LocalProject } from '../../local/deploy-local.js';
import { fakeIo, s3bo } from './helpers.js';

export interface LocalCli {
  aws: LocalAws;
  project: LocalProject;
  /** Runs `s3bo` with the global options that point it at this local AWS and stage. */
  s3bo(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Writes `content` (JSON unless a string) to a fresh temporary file and returns its path. */
  file(name: string, content: unknown): string;
  /** The details of the events of that type on the stage bus, oldest first. */
  events(detailType: string): Record<string, unknown>[];
}

/** Real pauses between polls: the emulator runs in this process and needs the event loop to progress. */
const realPauseMs = 10;

export async function startLocalCli(
  options: { faults?: FaultConfig; timeScale?: number } = {},
): Promise<LocalCli> {
  const localOptions: LocalAwsOptions = { inMemory: true, port: 0, timeScale: options.timeScale ?? 600 };
  if (options.faults) localOptions.faults = options.faults;
  const aws = await startLocalAws(localOptions);
  const project = await deployProject(aws);
  const dir = mkdtempSync(join(tmpdir(), 's3bo-local-cli-'));
  const globals = ['--endpoint', aws.url, '--stage', project.stage, '--account-id', aws.accountId];
  return {
    aws,
    project,
    s3bo(argv) {
      const fake = fakeIo();
      fake.onSleep = () => new Promise((resolve) => setTimeout(resolve, realPauseMs));
      return s3bo([...globals, ...argv], { fake });
    },
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      return path;
    },
    events: (detailType) =>
      aws.events
        .readEventLog(project.busName)
        .filter((event) => event['detail-type'] === detailType)
        .map((event) => event.detail as Record<string, unknown>),
  };
}

/** Local AWS instances for the tests of one file: each is stopped after the test that started it. */
export function localCliPerTest() {
  const started: LocalAws[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((aws) => aws.stop()));
  });
  return async (options: Parameters<typeof startLocalCli>[0] = {}): Promise<LocalCli> => {
    const cli = await startLocalCli(options);
    started.push(cli.aws);
    return cli;
  };
}
