/**
 * `s3bo local` as a child process on a durable data directory: what a user runs, so a test can `kill -9` it
 * mid-write and start it again on the same directory. The child runs under this process's Node (the pinned
 * Node 24 when started through npm scripts) with bin/s3bo.mjs, exactly as the `s3bo` command does.
 * No vitest here: bench/reliability.ts uses it too.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const s3boBin = join(import.meta.dirname, '../../../bin/s3bo.mjs');

/** What `s3bo local` prints once it serves, read from its banner. */
export interface LocalProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  /** The local console (`/_console/` on the same port). */
  consoleUrl: string;
  accountId: string;
  region: string;
  stateMachineArn: string;
  busName: string;
  /** The last output of the child (stdout and stderr), for failure messages. */
  output(): string;
  /** Resolves once the child has exited (at once if it already has). */
  exited: Promise<void>;
}

export interface LocalProcessOptions {
  dataDir: string;
  timeScale: number;
  /** Real milliseconds to wait for the banner before giving up (and killing the child). */
  startTimeoutMs?: number;
  /** Every child started is added here, so a test's afterEach can kill what a failed run left behind. */
  children?: Set<ChildProcess>;
}

/** Output kept for diagnostics: the child logs every Lambda call, and an unread pipe would block it. */
const keptOutputChars = 8_000;

export async function startLocalProcess(options: LocalProcessOptions): Promise<LocalProcess> {
  const child = spawn(
    process.execPath,
    [
      s3boBin,
      'local',
      '--data-dir',
      options.dataDir,
      '--port',
      '0',
      '--time-scale',
      String(options.timeScale),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  options.children?.add(child);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => {
      options.children?.delete(child);
      resolve();
    });
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-keptOutputChars);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);

  const banner = await new Promise<Omit<LocalProcess, 'child' | 'pid' | 'output' | 'exited'>>(
    (resolve, reject) => {
      const timeoutMs = options.startTimeoutMs ?? 30_000;
      const timer = setTimeout(() => fail(`no banner within ${timeoutMs} ms`), timeoutMs);
      const onExit = (code: number | null, signal: string | null) =>
        fail(`exited before serving (code ${code}, signal ${signal})`);
      const fail = (why: string) => {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        child.off('exit', onExit);
        child.kill('SIGKILL');
        reject(new Error(`s3bo local ${why}; output:\n${output}`));
      };
      const check = () => {
        const endpoint = /AWS endpoint (\S+) \(account (\d{12}), region (\S+)\)/.exec(output);
        const machine = /state machine: (\S+)/.exec(output);
        const bus = /event bus: (\S+)/.exec(output);
        const consoleLine = /console: (\S+)/.exec(output);
        if (!endpoint || !machine || !bus || !consoleLine) return;
        clearTimeout(timer);
        child.stdout!.off('data', check);
        child.off('exit', onExit);
        resolve({
          url: endpoint[1]!,
          consoleUrl: consoleLine[1]!,
          accountId: endpoint[2]!,
          region: endpoint[3]!,
          stateMachineArn: machine[1]!,
          busName: bus[1]!,
        });
      };
      child.stdout!.on('data', check);
      child.once('exit', onExit);
    },
  );
  return { child, pid: child.pid!, ...banner, output: () => output, exited };
}

/** `kill -9`: no signal handler runs, nothing is flushed; resolves once the child is gone. */
export async function crashLocalProcess(local: LocalProcess): Promise<void> {
  local.child.kill('SIGKILL');
  await local.exited;
}

/** Kills every child still running in `children` (a test's afterEach). */
export async function killAll(children: Set<ChildProcess>): Promise<void> {
  const waits = [...children].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  );
  children.clear();
  await Promise.all(waits);
}
