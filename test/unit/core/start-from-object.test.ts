import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RequestValidationError } from '../../../src/core/errors.js';
import type { EmitDeps } from '../../../src/core/events/emit-workflow-event.js';
import { detailTypes } from '../../../src/core/names.js';
import type { EventBusPort, EventEntry, WorkflowPort } from '../../../src/core/ports.js';
import {
  executionNameFor,
  maxRequestBytes,
  type StartFromObjectDeps,
  startFromObject,
} from '../../../src/core/triggers/start-from-object.js';
import { detailValidators } from '../../../src/generated/schema-ids.js';
import { memoryObjectStore } from '../../doubles/memory-ports.js';

// The S3 User Guide's "Object Created" event, pointed at a request file.
const fixture = JSON.parse(readFileSync('test/fixtures/s3-object-created.json', 'utf8'));
const bucket = 'requests-bucket';
const etag = 'b1946ac92492d2347c6235b4d2611184';
const versionId = fixture.detail.object['version-id'] as string;
const eventFor = (key: string, object: Record<string, unknown> = {}) => ({
  ...fixture,
  detail: {
    ...fixture.detail,
    bucket: { name: bucket },
    object: { ...fixture.detail.object, key, etag, ...object },
  },
});
const stateMachineArn =
  'arn:aws:states:us-east-1:123456789012:stateMachine:s3-batch-orchestrator-dev-batch-job';
const now = new Date('2026-11-26T10:00:00.000Z');

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

/** A bus that accepts everything and keeps what it was sent (or fails every entry, to test retries). */
function recordingBus(failing = false): EventBusPort & { entries: EventEntry[] } {
  const entries: EventEntry[] = [];
  return {
    entries,
    async putEvents(sent) {
      if (failing) return { failed: sent.map((_, index) => ({ index, errorCode: 'InternalFailure' })) };
      entries.push(...sent);
      return { failed: [] };
    },
  };
}

/** Everything startFromObject needs, in memory; `files` are keys in the request bucket. */
function setup(files: Record<string, string | Uint8Array> = {}, options: { failingBus?: boolean } = {}) {
  const objects = memoryObjectStore(
    Object.fromEntries(Object.entries(files).map(([key, body]) => [`${bucket}/${key}`, body])),
  );
  const workflow = recordingWorkflow();
  const bus = recordingBus(options.failingBus);
  const events: EmitDeps = {
    bus,
    config: { stage: 'dev', eventBusName: 's3-batch-orchestrator-dev', eventSource: 's3-batch-orchestrator' },
    clock: { now: () => now },
    delivery: { maxAttempts: 2, sleep: async () => {} },
  };
  const deps: StartFromObjectDeps = { objects, workflow, stateMachineArn, events };
  // biome-ignore lint/suspicious/noExplicitAny: tests assert on event details field by field.
  const rejected = () => bus.entries.map((entry) => ({ ...entry, detail: JSON.parse(entry.Detail) as any }));
  return { deps, objects, workflow, bus, rejected };
}

/** A valid job request, as a user would drop it in the bucket. */
const validRequest = {
  operation: { S3PutObjectTagging: { TagSet: [{ Key: 'k', Value: 'v' }] } },
  manifest: { bucket: 'manifests', key: 'tag.csv', etag: '69f52a4e9f797e987155d9c8f5880897' },
  report: { enabled: false },
};

/** A JSON object of exactly `bytes` bytes. */
const objectOfSize = (bytes: number) => {
  const shell = '{"description":""}';
  return `{"description":"${'x'.repeat(bytes - shell.length)}"}`;
};

describe('startFromObject', () => {
  it('starts the workflow with the request file, once per upload however often the event arrives', async () => {
    // Prepare
    const { deps, workflow, bus } = setup({ 'requests/tag.json': JSON.stringify(validRequest) });

    // Act
    const first = await startFromObject(deps, eventFor('requests/tag.json'));
    const duplicate = await startFromObject(deps, eventFor('requests/tag.json'));
    const reupload = await startFromObject(deps, eventFor('requests/tag.json', { etag: 'another-etag' }));

    // Assess
    expect(first).toMatchObject({ started: true, alreadyStarted: false });
    expect(duplicate).toMatchObject({ started: true, alreadyStarted: true });
    expect(reupload).toMatchObject({ started: true, alreadyStarted: false });
    expect(workflow.starts.map((s) => s.input)).toEqual([validRequest, validRequest]);
    expect(bus.entries).toEqual([]);
  });

  it('starts nothing for a JSON object that is not a valid request, and reports it naming the field', async () => {
    // A forged continuation is just an unknown field to a request: never started, so never resumed.
    const { deps, workflow, rejected } = setup({
      'requests/forged.json': JSON.stringify({ continuation: { job: { jobId: 'someone-elses' } } }),
    });
    const result = await startFromObject(deps, eventFor('requests/forged.json'));
    expect(result).toMatchObject({ started: false, rejection: { field: 'continuation' } });
    expect(workflow.starts).toEqual([]);
    expect(rejected().map((e) => e.detail)).toMatchObject([
      {
        field: 'continuation',
        reason: 'is not a known property',
        source: { bucket, key: 'requests/forged.json' },
      },
    ]);
  });

  it('checks a request of exactly 256 KiB, Step Functions input limit, for what it says, not its size', async () => {
    const { deps, workflow, rejected } = setup({ 'requests/big.json': objectOfSize(maxRequestBytes) });
    const result = await startFromObject(deps, eventFor('requests/big.json'));
    // Past the size check, the schema finds what is missing (it holds only a description).
    expect(result).toMatchObject({
      started: false,
      rejection: { field: 'operation', reason: 'is required' },
    });
    expect(workflow.starts).toHaveLength(0);
    expect(rejected()[0]!.detail.reason).not.toMatch(/larger than/);
  });

  it('reads a request saved with a UTF-8 byte order mark', async () => {
    const { deps, workflow } = setup({ 'requests/windows.json': `\uFEFF${JSON.stringify(validRequest)}` });
    await startFromObject(deps, eventFor('requests/windows.json'));
    expect(workflow.starts[0]!.input).toEqual(validRequest);
  });

  it('runs a CSV manifest that lands with the template of its folder, the manifest filled in', async () => {
    // Prepare
    const template = {
      operation: { S3DeleteObjectTagging: {} },
      report: { bucket: 'reports' },
      manifest: { fields: ['Ignore', 'Bucket', 'Key'] },
    };
    const { deps, workflow, bus } = setup({ 'requests/nightly/_template.json': JSON.stringify(template) });

    // Act
    const result = await startFromObject(deps, eventFor('requests/nightly/batch-7.csv'));

    // Assess
    expect(result).toMatchObject({ started: true });
    expect(workflow.starts[0]!.input).toEqual({
      ...template,
      manifest: {
        fields: ['Ignore', 'Bucket', 'Key'],
        format: 'S3BatchOperations_CSV_20180820',
        bucket,
        key: 'requests/nightly/batch-7.csv',
        etag,
      },
    });
    expect(bus.entries).toEqual([]);
  });

  it.each([
    ['a folder marker', 'requests/nightly/'],
    ['a file of another kind', 'requests/readme.txt'],
    ['a file whose name starts with _', 'requests/_notes.json'],
  ])('starts nothing and reports nothing for %s', async (_name, key) => {
    const { deps, workflow, bus } = setup({ [key]: 'anything' });
    const result = await startFromObject(deps, eventFor(key));
    expect(result).toMatchObject({ started: false });
    expect(workflow.starts).toEqual([]);
    expect(bus.entries).toEqual([]);
  });

  it('starts nothing and reports nothing for a request deleted before it was read', async () => {
    const { deps, workflow, bus } = setup();
    const result = await startFromObject(deps, eventFor('requests/gone.json'));
    expect(result).toEqual({ started: false, reason: `s3://${bucket}/requests/gone.json is gone` });
    expect(workflow.starts).toEqual([]);
    expect(bus.entries).toEqual([]);
  });

  it('accepts a template that lands, reporting nothing', async () => {
    const { deps, workflow, bus } = setup({ 'requests/nightly/_template.json': '{"priority":1}' });
    const result = await startFromObject(deps, eventFor('requests/nightly/_template.json'));
    expect(result).toMatchObject({ started: false });
    expect(workflow.starts).toEqual([]);
    expect(bus.entries).toEqual([]);
  });
});

describe('startFromObject with a file that can start nothing', () => {
  it.each([
    ['not JSON', '{ nope', 'request', /^is not valid JSON \(.+\)$/],
    ['empty', '', 'request', /^is not valid JSON \(.+\)$/],
    ['null', 'null', 'request', /^must be a JSON object, not null$/],
    ['an array', '[{"operation":{}}]', 'request', /^must be a JSON object, not an array$/],
    ['a number', '42', 'request', /^must be a JSON object, not a number$/],
    ['a string', '"run it"', 'request', /^must be a JSON object, not a string$/],
    [
      'one byte over 256 KiB',
      objectOfSize(maxRequestBytes + 1),
      'request',
      /^is larger than 262144 bytes, Step Functions' limit for an execution's input$/,
    ],
  ])(
    'rejects a request file that is %s, naming the file and the reason',
    async (_name, body, field, reason) => {
      // Prepare
      const { deps, workflow, rejected } = setup({ 'requests/bad.json': body });

      // Act
      const result = await startFromObject(deps, eventFor('requests/bad.json'));

      // Assess
      expect(workflow.starts).toEqual([]);
      const events = rejected();
      expect(events).toHaveLength(1);
      const [event] = events;
      expect(event).toMatchObject({
        Source: 's3-batch-orchestrator',
        DetailType: detailTypes.rejected,
        EventBusName: 's3-batch-orchestrator-dev',
      });
      expect(event!.detail).toEqual({
        eventId: expect.stringMatching(/^[0-9a-f]{32}$/),
        stage: 'dev',
        occurredAt: now.toISOString(),
        field,
        reason: expect.stringMatching(reason),
        source: { bucket, key: 'requests/bad.json', etag, versionId },
      });
      expect(detailValidators[detailTypes.rejected](event!.detail)).toBe(true);
      expect(result).toEqual({
        started: false,
        reason: `s3://${bucket}/requests/bad.json: ${field}: ${event!.detail.reason}`,
        rejection: { field, reason: event!.detail.reason, eventId: event!.detail.eventId },
      });
    },
  );

  it('quotes the JSON parser, so the reason says where the file breaks', async () => {
    const { deps, rejected } = setup({ 'requests/bad.json': '{"priority": 1,}' });
    await startFromObject(deps, eventFor('requests/bad.json'));
    expect(rejected()[0]!.detail.reason).toMatch(/^is not valid JSON \(.*position 15/);
  });

  it('rejects a CSV manifest with no template in its folder, naming the template it looked for', async () => {
    const { deps, workflow, rejected } = setup({ 'requests/nightly/_template.json': '{}' });
    await startFromObject(deps, eventFor('requests/other/batch.csv'));
    expect(workflow.starts).toEqual([]);
    expect(rejected().map((e) => e.detail)).toEqual([
      expect.objectContaining({
        field: 'template',
        reason: expect.stringContaining('no requests/other/_template.json next to the manifest'),
        source: { bucket, key: 'requests/other/batch.csv', etag, versionId },
      }),
    ]);
  });

  it.each([
    [
      'is not JSON',
      'operation: {}',
      'template',
      /^s3:\/\/requests-bucket\/requests\/nightly\/_template.json is not valid JSON/,
    ],
    [
      'is not an object',
      '[]',
      'template',
      /^s3:\/\/requests-bucket\/requests\/nightly\/_template.json must be a JSON object, not an array$/,
    ],
    [
      'has a manifest that is not an object',
      '{"manifest":"tag.csv"}',
      'template.manifest',
      /must be an object$/,
    ],
    [
      'is too big once the manifest is filled in',
      objectOfSize(maxRequestBytes - 20),
      'template',
      /^with the manifest filled in is larger than 262144 bytes/,
    ],
    [
      'has S3 generate the object list (manifestGenerator)',
      '{"operation":{"S3DeleteObjectTagging":{}},"manifestGenerator":{"sourceBucket":"photos"}}',
      'template.manifestGenerator',
      /^in s3:\/\/requests-bucket\/requests\/nightly\/_template.json: a template runs with the CSV manifests that land next to it, so it names no other source of objects; drop manifestGenerator$/,
    ],
    [
      'runs on the newest inventory report (manifest.inventory)',
      '{"manifest":{"inventory":{"bucket":"inventories","sourceBucket":"photos","configId":"c"}}}',
      'template.manifest.inventory',
      /drop manifest\.inventory$/,
    ],
  ])('rejects a CSV manifest whose template %s', async (_name, template, field, reason) => {
    const { deps, workflow, rejected } = setup({ 'requests/nightly/_template.json': template });
    await startFromObject(deps, eventFor('requests/nightly/batch-7.csv'));
    expect(workflow.starts).toEqual([]);
    expect(rejected().map((e) => e.detail)).toEqual([
      expect.objectContaining({
        field,
        reason: expect.stringMatching(reason),
        source: expect.objectContaining({ key: 'requests/nightly/batch-7.csv' }),
      }),
    ]);
  });

  it('rejects a template that names another source of objects as it lands', async () => {
    const template = '{"manifestGenerator":{"sourceBucket":"photos"}}';
    const { deps, workflow, rejected } = setup({ 'requests/nightly/_template.json': template });
    await startFromObject(deps, eventFor('requests/nightly/_template.json'));
    expect(workflow.starts).toEqual([]);
    expect(rejected().map((e) => e.detail)).toEqual([
      expect.objectContaining({
        field: 'template.manifestGenerator',
        source: expect.objectContaining({ key: 'requests/nightly/_template.json' }),
      }),
    ]);
  });

  it('rejects a broken template as it lands, naming the template', async () => {
    const { deps, workflow, rejected } = setup({ 'requests/nightly/_template.json': '{"operation":' });
    await startFromObject(deps, eventFor('requests/nightly/_template.json'));
    expect(workflow.starts).toEqual([]);
    expect(rejected().map((e) => e.detail)).toEqual([
      expect.objectContaining({
        field: 'template',
        reason: expect.stringMatching(/^is not valid JSON/),
        source: expect.objectContaining({ key: 'requests/nightly/_template.json' }),
      }),
    ]);
  });

  it('sends the same eventId for a duplicate delivery and a new one for a new upload', async () => {
    const { deps, rejected } = setup({ 'requests/bad.json': 'nope' });
    await startFromObject(deps, eventFor('requests/bad.json'));
    await startFromObject(deps, eventFor('requests/bad.json'));
    await startFromObject(deps, eventFor('requests/bad.json', { etag: 'another-etag', 'version-id': 'v2' }));
    const ids = rejected().map((e) => e.detail.eventId);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('names the file without ETag and version id when the event has none', async () => {
    const { deps, rejected } = setup({ 'requests/bad.json': 'nope' });
    const event = eventFor('requests/bad.json');
    delete event.detail.object.etag;
    delete event.detail.object['version-id'];
    await startFromObject(deps, event);
    await startFromObject(deps, eventFor('requests/bad.json', { etag: undefined, 'version-id': undefined }));
    const [first, second] = rejected().map((e) => e.detail);
    expect(first.source).toEqual({ bucket, key: 'requests/bad.json' });
    expect(detailValidators[detailTypes.rejected](first)).toBe(true);
    // The sequencer stands in for the ETag: still the same id for the same event.
    expect(second.eventId).toBe(first.eventId);
  });

  it('fails with a retryable error when the event cannot be delivered, so Lambda retries the same event', async () => {
    const { deps, workflow } = setup({ 'requests/bad.json': 'nope' }, { failingBus: true });
    await expect(startFromObject(deps, eventFor('requests/bad.json'))).rejects.toMatchObject({
      name: 'EventDeliveryError',
      retryable: true,
    });
    expect(workflow.starts).toEqual([]);
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
    const { deps } = setup({ 'requests/tag.json': '{}' });
    await expect(
      startFromObject({ ...deps, stateMachineArn: undefined }, eventFor('requests/tag.json')),
    ).rejects.toMatchObject({ name: 'ConfigurationError', field: 'S3BO_STATE_MACHINE_ARN' });
  });
});
