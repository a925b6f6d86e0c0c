import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RequestValidationError } from '../../../src/core/errors.js';
import type { WorkflowPort } from '../../../src/core/ports.js';
import { executionNameFor, startFromObject } from '../../../src/core/triggers/start-from-object.js';
import { memoryObjectStore } from '../../doubles/memory-ports.js';

// The S3 User Guide's "Object Created" event, pointed at a request file.
const fixture = JSON.parse(readFileSync('test/fixtures/s3-object-created.json', 'utf8'));
const eventFor = (key: string, etag = 'b1946ac92492d2347c6235b4d2611184') => ({
  ...fixture,
  detail: {
    ...fixture.detail,
    bucket: { name: 'requests-bucket' },
    object: { ...fixture.detail.object, key, etag },
  },
});
const stateMachineArn =
  'arn:aws:states:us-east-1:123456789012:stateMachine:s3-batch-orchestrator-dev-batch-job';

function recordingWorkflow(): WorkflowPort & { starts: { name: string; input: object }[] } {
  const starts: { name: string; input: object }[] = [];
  return {
    starts,
    async startExecution(arn, name, input) {
      const alreadyExisted = starts.some((s) => s.name === name);
      if (!alreadyExisted) starts.push({ name, input });
      return { executionArn: `${arn}:${name}`, alreadyExisted };
    },
    async sendTaskSuccess() {},
  };
}

describe('startFromObject', () => {
  it('starts the workflow with the request file, once per upload however often the event arrives', async () => {
    const objects = memoryObjectStore({ 'requests-bucket/requests/tag.json': '{"operation":{}}' });
    const workflow = recordingWorkflow();
    const deps = { objects, workflow, stateMachineArn };

    const first = await startFromObject(deps, eventFor('requests/tag.json'));
    const duplicate = await startFromObject(deps, eventFor('requests/tag.json'));
    const reupload = await startFromObject(deps, eventFor('requests/tag.json', 'another-etag'));

    expect(first).toMatchObject({ started: true, alreadyStarted: false });
    expect(duplicate).toMatchObject({ started: true, alreadyStarted: true });
    expect(reupload).toMatchObject({ started: true, alreadyStarted: false });
    expect(workflow.starts.map((s) => s.input)).toEqual([{ operation: {} }, { operation: {} }]);
  });

  it('runs a CSV manifest that lands with the template of its folder, the manifest filled in', async () => {
    const template = {
      operation: { S3DeleteObjectTagging: {} },
      report: { bucket: 'reports' },
      manifest: { fields: ['Ignore', 'Bucket', 'Key'] },
    };
    const objects = memoryObjectStore({
      'requests-bucket/requests/nightly/_template.json': JSON.stringify(template),
    });
    const workflow = recordingWorkflow();

    const result = await startFromObject(
      { objects, workflow, stateMachineArn },
      eventFor('requests/nightly/batch-7.csv'),
    );

    expect(result).toMatchObject({ started: true });
    expect(workflow.starts[0]!.input).toEqual({
      ...template,
      manifest: {
        fields: ['Ignore', 'Bucket', 'Key'],
        format: 'S3BatchOperations_CSV_20180820',
        bucket: 'requests-bucket',
        key: 'requests/nightly/batch-7.csv',
        etag: 'b1946ac92492d2347c6235b4d2611184',
      },
    });
  });

  it.each([
    ['a manifest without a template', 'requests/other/batch.csv'],
    ['the template itself', 'requests/nightly/_template.json'],
    ['any other object', 'requests/readme.txt'],
  ])('starts nothing for %s', async (_name, key) => {
    const objects = memoryObjectStore({ 'requests-bucket/requests/nightly/_template.json': '{}' });
    const workflow = recordingWorkflow();
    const result = await startFromObject({ objects, workflow, stateMachineArn }, eventFor(key));
    expect(result).toMatchObject({ started: false });
    expect(workflow.starts).toEqual([]);
  });

  it('rejects a request file that is not JSON, naming the object', async () => {
    const objects = memoryObjectStore({ 'requests-bucket/requests/bad.json': '{ nope' });
    await expect(
      startFromObject(
        { objects, workflow: recordingWorkflow(), stateMachineArn },
        eventFor('requests/bad.json'),
      ),
    ).rejects.toMatchObject({
      name: 'RequestValidationError',
      field: 's3://requests-bucket/requests/bad.json',
    });
  });

  it('names executions within Step Functions limits', () => {
    const name = executionNameFor('b', `requests/${'a very long name '.repeat(10)}.json`, 'etag');
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(RequestValidationError.retryable).toBe(false);
  });
});

describe('startFromObject configuration', () => {
  it('fails loudly when the state machine ARN is not configured', async () => {
    const objects = memoryObjectStore({ 'requests-bucket/requests/tag.json': '{}' });
    await expect(
      startFromObject(
        { objects, workflow: recordingWorkflow(), stateMachineArn: undefined },
        eventFor('requests/tag.json'),
      ),
    ).rejects.toMatchObject({ name: 'ConfigurationError', field: 'S3BO_STATE_MACHINE_ARN' });
  });
});
