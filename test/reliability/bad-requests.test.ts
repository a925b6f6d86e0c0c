/**
 * Issue 11, "Bad input": every request in test/fixtures/bad-requests/ is refused naming the field a user
 * must fix, by `s3bo validate` (exit 2) and by the real batch-job workflow (Batch Job Rejected, no
 * CreateJob). The field each file must name is in expected.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3bo } from '../cli/helpers.js';
import { type Harness, startHarness } from '../workflow/harness.js';
import {
  badRequestsDir as dir,
  expectedFields as expected,
  badRequestFiles as files,
  namesField,
  notExecutable,
  runAsExecutions,
} from './scenarios/bad-requests.js';

const stepFunctionsInputLimit = 256 * 1024;

describe('the bad-request corpus', () => {
  it('has at least 80 files, each with the field it must name, and nothing else', () => {
    expect(files.length).toBeGreaterThanOrEqual(80);
    expect(Object.keys(expected).sort()).toEqual(files);
    for (const file of notExecutable) expect(files).toContain(file);
    const huge = readFileSync(join(dir, 'huge-just-over-256-kib.json'));
    expect(huge.length).toBeGreaterThan(stepFunctionsInputLimit);
    expect(huge.length).toBeLessThan(stepFunctionsInputLimit + 1024);
  });
});

describe('s3bo validate on every bad request', () => {
  it.each(files)('%s: exits 2 naming the field', async (file) => {
    const result = await s3bo(['validate', join(dir, file)]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    if (notExecutable.has(file) && expected[file] === 'request') {
      // No field to name in a document that does not parse: the error names the file and why.
      expect(result.stderr).toContain(`request file ${join(dir, file)} is not valid JSON`);
    } else {
      expect(result.stderr).toContain(`invalid job request: ${expected[file]}`);
    }
  });
});

describe('reasons a user can act on', () => {
  // Ajv's "must match pattern <regex>" was the whole reason for these; src/core/schema-errors.ts says it in words.
  it.each([
    [
      'manifest-bucket-uppercase.json',
      'manifest.bucket: must be an S3 bucket name (not an ARN): 3-63 lowercase',
    ],
    ['manifest-bucket-arn.json', 'manifest.bucket: must be an S3 bucket name (not an ARN)'],
    ['report-bucket-ip-address.json', 'report.bucket: must be an S3 bucket name'],
    ['generator-source-bucket-double-dot.json', 'manifestGenerator.sourceBucket: must be an S3 bucket name'],
    ['account-id-letters.json', 'accountId: must be an AWS account id: 12 digits'],
    ['expected-bucket-owner-short.json', 'manifestGenerator.expectedBucketOwner: must be an AWS account id'],
    ['reprioritize-deadline-not-a-date.json', 'policy.reprioritize.deadline: must be an RFC 3339 date-time'],
    ['generator-created-after-not-a-date.json', 'manifestGenerator.filter.createdAfter: must be an RFC 3339'],
    ['role-arn-user.json', 'roleArn: must be an IAM role ARN: arn:aws:iam::<12-digit account id>:role/'],
    [
      'kms-key-alias.json',
      'manifestGenerator.manifestOutputLocation.encryption.ssekms.keyId: must be a KMS key ARN',
    ],
    ['copy-target-not-arn.json', 'operation.S3PutObjectCopy.TargetResource: must be an S3 ARN'],
    ['function-arn-wrong-service.json', 'operation.LambdaInvoke.FunctionArn: must be a Lambda function ARN'],
  ])('%s', async (file, reason) => {
    const result = await s3bo(['validate', join(dir, file)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(reason);
    expect(result.stderr).not.toContain('must match pattern');
  });
});

describe('the batch-job workflow on every bad request', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('rejects each one naming the field, and never creates a job', async () => {
    const executable = files.filter((f) => !notExecutable.has(f));
    const outcomes = await runAsExecutions(h);

    const wanted = executable.map((file) => ({
      file,
      status: 'FAILED',
      error: 'RequestRejected',
      field: expected[file],
    }));
    // The event may name a field more precisely than expected.json (`tags.nested…` for the too deep one).
    const seen = outcomes.map((o) => ({
      ...o,
      field: namesField(o.field, expected[o.file]!) ? expected[o.file] : o.field,
    }));
    expect(seen).toEqual(wanted);
    expect(h.aws.s3control.engine.jobs()).toEqual([]);
  }, 60_000);

  it('cannot even start an execution with the non-JSON and huge files (StartExecution refuses them)', () => {
    const machine = h.project.stateMachineArns.batchJob!;
    for (const file of notExecutable) {
      const input = readFileSync(join(dir, file), 'utf8');
      const refusal = file.startsWith('huge-')
        ? `Member must have length less than or equal to ${stepFunctionsInputLimit}`
        : 'Invalid Input';
      expect(() => h.aws.sfn.startExecution(machine, input, `bad-${file.replace(/\.json$/, '')}`)).toThrow(
        refusal,
      );
    }
    expect(h.aws.s3control.engine.jobs()).toEqual([]);
  });
});
