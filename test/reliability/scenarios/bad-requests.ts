/**
 * The bad-request corpus (test/fixtures/bad-requests/) tried twice per file: through what `s3bo validate`
 * runs (readJobRequestFile) and, for every file StartExecution accepts, as a batch-job execution on the local
 * AWS. A rejection is clear when it names the field expected.json gives for the file (or a field inside it).
 * Shared by test/reliability/bad-requests.test.ts and bench/reliability.ts; no vitest here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJobRequestFile } from '../../../cli/lib/request-file.js';
import { RequestValidationError } from '../../../src/core/errors.js';
import { type Harness, startHarness } from '../../workflow/harness.js';

export const badRequestsDir = join(import.meta.dirname, '../../fixtures/bad-requests');

/** The field each file must be refused for. */
export const expectedFields: Record<string, string> = JSON.parse(
  readFileSync(join(badRequestsDir, 'expected.json'), 'utf8'),
);

export const badRequestFiles = readdirSync(badRequestsDir)
  .filter((f) => f.endsWith('.json') && f !== 'expected.json')
  .sort();

/**
 * Not JSON, or over Step Functions' 256 KiB input limit: StartExecution itself refuses them, so they can
 * never be an execution's input. They are tried through validation only.
 */
export const notExecutable = new Set([
  'not-json.json',
  'truncated-json.json',
  'empty-file.json',
  'huge-just-over-256-kib.json',
]);

export interface ExecutionOutcome {
  file: string;
  status: string;
  error?: string;
  /** The field the Batch Job Rejected event named, if one was emitted for this execution. */
  field?: string;
}

export interface BadRequestFigures {
  /** Files tried (each through validation, the executable ones also as executions). */
  badInputs: number;
  executions: number;
  /** Files refused without naming their field (by validation or by the workflow), or accepted. */
  unclearRejections: number;
  /** Jobs created by all those executions: must be 0. */
  jobsCreated: number;
  unclearFiles: string[];
}

/** Whether `field` is the expected one or a field inside it (`tags.nested…` for the too deep one). */
export const namesField = (field: string | undefined, expected: string): boolean =>
  field !== undefined &&
  (field === expected || field.startsWith(`${expected}.`) || field.startsWith(`${expected}[`));

/** The field validation named for a file, `request` for a document that does not parse, or undefined. */
export async function validationField(file: string): Promise<string | undefined> {
  try {
    await readJobRequestFile(join(badRequestsDir, file));
    return undefined;
  } catch (error) {
    if (error instanceof RequestValidationError) return error.field;
    if (/is not valid JSON/.test((error as Error).message)) return 'request';
    return undefined;
  }
}

/** Runs every executable file as an execution on `h`, at most `concurrency` at a time. */
export async function runAsExecutions(h: Harness, concurrency = 6): Promise<ExecutionOutcome[]> {
  const queue = badRequestFiles.filter((f) => !notExecutable.has(f));
  const outcomes: ExecutionOutcome[] = [];
  const worker = async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      // The file's text is the execution input, as StartExecution would receive it.
      const input = readFileSync(join(badRequestsDir, file), 'utf8');
      const run = await h.run(input, `bad-${file.replace(/\.json$/, '')}`, 30_000);
      const rejected = h.events('Batch Job Rejected').find((e) => e.detail.executionArn === run.executionArn);
      outcomes.push({
        file,
        status: run.status,
        ...(run.error ? { error: run.error } : {}),
        ...(rejected ? { field: String(rejected.detail.field) } : {}),
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes.sort((a, b) => a.file.localeCompare(b.file));
}

/** The whole corpus, validation and workflow, as figures (bench/reliability.ts). */
export async function runBadRequestsScenario(): Promise<BadRequestFigures> {
  const unclear = new Set<string>();
  for (const file of badRequestFiles) {
    if (!namesField(await validationField(file), expectedFields[file]!)) unclear.add(file);
  }
  const h = await startHarness();
  try {
    const outcomes = await runAsExecutions(h);
    for (const o of outcomes) {
      const clear =
        o.status === 'FAILED' &&
        o.error === 'RequestRejected' &&
        namesField(o.field, expectedFields[o.file]!);
      if (!clear) unclear.add(o.file);
    }
    return {
      badInputs: badRequestFiles.length,
      executions: outcomes.length,
      unclearRejections: unclear.size,
      jobsCreated: h.aws.s3control.engine.jobs().length,
      unclearFiles: [...unclear].sort(),
    };
  } finally {
    await h.stop();
  }
}
