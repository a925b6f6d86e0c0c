/**
 * In-memory stand-ins for the seams the S3 Control engine builds on (Storage, S3Backend, EventSink,
 * LambdaInvoker, FaultInjector, EmulatorClock). The real implementations are plugged in by the lead;
 * these keep just enough S3 behaviour (ETags, tags, versions, storage classes, AWS error codes) for the
 * job engine to be tested against.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  type AccessControlPolicy,
  type EmulatorClock,
  type EventInput,
  type EventSink,
  type FaultInjector,
  type LambdaInvoker,
  type ObjectRef,
  type S3Backend,
  S3ServiceError,
  type Storage,
  type StoredObjectInfo,
  type Tag,
} from '../../../emulator/contracts.js';

/** Documents are cloned in and out, like a durable store, so a restart sees only what was persisted. */
export class MemoryStorage implements Storage {
  readonly dataDir = undefined;
  readonly docs = new Map<string, Map<string, string>>();
  readonly blobs = new Map<string, Buffer>();
  readonly lines = new Map<string, string[]>();
  writes = 0;

  getDoc<T>(namespace: string, id: string): T | undefined {
    const raw = this.docs.get(namespace)?.get(id);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }
  putDoc<T>(namespace: string, id: string, value: T): void {
    this.writes++;
    if (!this.docs.has(namespace)) this.docs.set(namespace, new Map());
    this.docs.get(namespace)!.set(id, JSON.stringify(value));
  }
  deleteDoc(namespace: string, id: string): void {
    this.docs.get(namespace)?.delete(id);
  }
  listDocs<T>(namespace: string): T[] {
    return [...(this.docs.get(namespace)?.values() ?? [])].map((raw) => JSON.parse(raw) as T);
  }
  getBlob(id: string): Buffer | undefined {
    return this.blobs.get(id);
  }
  putBlob(id: string, bytes: Buffer): void {
    this.blobs.set(id, bytes);
  }
  deleteBlob(id: string): void {
    this.blobs.delete(id);
  }
  appendLine(logName: string, line: string): void {
    this.lines.set(logName, [...(this.lines.get(logName) ?? []), line]);
  }
}

export interface FakeObject extends StoredObjectInfo {
  body: Buffer;
  acl?: { canned?: string; policy?: AccessControlPolicy };
  legalHold?: 'ON' | 'OFF';
  retention?: { mode: string; retainUntil: string };
  restore?: { days?: number; tier?: string };
}

export class FakeS3 implements S3Backend {
  readonly buckets = new Map<string, Map<string, FakeObject>>();
  /** Count of task-level operations performed, by method name. */
  readonly calls = new Map<string, number>();

  private count(method: string) {
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
  }

  ensureBucket(bucket: string): void {
    if (!this.buckets.has(bucket)) this.buckets.set(bucket, new Map());
  }

  object(ref: ObjectRef): FakeObject {
    const bucket = this.buckets.get(ref.bucket);
    if (!bucket) throw new S3ServiceError('NoSuchBucket', 404, 'The specified bucket does not exist');
    const object = bucket.get(ref.key);
    if (!object) throw new S3ServiceError('NoSuchKey', 404, 'The specified key does not exist.');
    if (ref.versionId && ref.versionId !== object.versionId) {
      throw new S3ServiceError('NoSuchVersion', 404, 'The specified version does not exist.');
    }
    return object;
  }

  headObject(ref: ObjectRef): StoredObjectInfo {
    const { body: _body, ...info } = this.object(ref);
    return info;
  }

  getObjectBody(ref: ObjectRef): Buffer {
    return this.object(ref).body;
  }

  putObject(
    bucket: string,
    key: string,
    body: Buffer,
    options: {
      contentType?: string;
      metadata?: Record<string, string>;
      storageClass?: string;
      tags?: Tag[];
    } = {},
  ): StoredObjectInfo {
    const objects = this.buckets.get(bucket);
    if (!objects) throw new S3ServiceError('NoSuchBucket', 404, 'The specified bucket does not exist');
    const object: FakeObject = {
      bucket,
      key,
      versionId: randomBytes(8).toString('hex'),
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      size: body.length,
      lastModified: new Date().toISOString(),
      storageClass: options.storageClass ?? 'STANDARD',
      ...(options.contentType ? { contentType: options.contentType } : {}),
      metadata: options.metadata ?? {},
      tags: options.tags ?? [],
      body,
    };
    objects.set(key, object);
    return this.headObject({ bucket, key });
  }

  copyObject(
    source: ObjectRef,
    target: { bucket: string; key: string },
    options: Parameters<S3Backend['copyObject']>[2],
  ): StoredObjectInfo {
    this.count('copyObject');
    const from = this.object(source);
    const replaceMetadata = options.metadataDirective === 'REPLACE';
    return this.putObject(target.bucket, target.key, from.body, {
      metadata: replaceMetadata ? (options.metadata ?? {}) : { ...from.metadata },
      ...((replaceMetadata ? options.contentType : from.contentType) !== undefined
        ? { contentType: replaceMetadata ? options.contentType : from.contentType }
        : {}),
      storageClass: options.storageClass ?? 'STANDARD',
      tags: options.taggingDirective === 'REPLACE' ? (options.tags ?? []) : [...from.tags],
    });
  }

  putObjectTagging(ref: ObjectRef, tags: Tag[]): void {
    this.count('putObjectTagging');
    this.object(ref).tags = tags.map((tag) => ({ ...tag }));
  }

  deleteObjectTagging(ref: ObjectRef): void {
    this.count('deleteObjectTagging');
    this.object(ref).tags = [];
  }

  putObjectAcl(ref: ObjectRef, acl: { canned?: string; policy?: AccessControlPolicy }): void {
    this.count('putObjectAcl');
    this.object(ref).acl = acl;
  }

  restoreObject(
    ref: ObjectRef,
    days: number | undefined,
    tier: string | undefined,
  ): 'accepted' | 'already-restored' {
    this.count('restoreObject');
    const object = this.object(ref);
    if (!['GLACIER', 'DEEP_ARCHIVE'].includes(object.storageClass)) {
      throw new S3ServiceError(
        'InvalidObjectState',
        403,
        "Restore is not allowed for the object's current storage class",
      );
    }
    const already = object.restore !== undefined;
    object.restore = { ...(days !== undefined ? { days } : {}), ...(tier !== undefined ? { tier } : {}) };
    return already ? 'already-restored' : 'accepted';
  }

  putObjectLegalHold(ref: ObjectRef, status: 'ON' | 'OFF'): void {
    this.count('putObjectLegalHold');
    this.object(ref).legalHold = status;
  }

  putObjectRetention(ref: ObjectRef, mode: 'GOVERNANCE' | 'COMPLIANCE', retainUntil: string): void {
    this.count('putObjectRetention');
    this.object(ref).retention = { mode, retainUntil };
  }

  computeChecksum(ref: ObjectRef, algorithm: string): string {
    this.count('computeChecksum');
    return `${algorithm}:${createHash('sha256').update(this.object(ref).body).digest('base64')}`;
  }

  replicateObject(ref: ObjectRef): void {
    this.count('replicateObject');
    this.object(ref);
  }
}

export class RecordingEventSink implements EventSink {
  readonly entries: (EventInput & { account: string; region: string })[] = [];
  putEvents(entries: EventInput[], accountId: string, region: string): void {
    for (const entry of entries) this.entries.push({ ...entry, account: accountId, region });
  }
}

export type LambdaBehaviour = (
  functionName: string,
  payload: unknown,
  call: number,
) => Promise<unknown> | unknown;

export class FakeLambda implements LambdaInvoker {
  readonly invocations: { functionName: string; payload: unknown }[] = [];
  constructor(public behaviour: LambdaBehaviour = () => ({ results: [] })) {}
  async invoke(functionName: string, payload: unknown): Promise<unknown> {
    this.invocations.push({ functionName, payload });
    return this.behaviour(functionName, payload, this.invocations.length);
  }
}

export class FakeFaults implements FaultInjector {
  putEventsFailureRate = 0;
  beforeFault: { code: string; httpStatus: number; message: string } | undefined;
  taskFault: FaultInjector['taskFailure'] = () => undefined;
  async before(): Promise<{ code: string; httpStatus: number; message: string } | undefined> {
    return this.beforeFault;
  }
  taskFailure(bucket: string, key: string, attempt: number) {
    return this.taskFault(bucket, key, attempt);
  }
}

/** Emulated time running `timeScale` times faster than real time. */
export function createScaledClock(timeScale: number): EmulatorClock {
  const realStart = Date.now();
  return {
    timeScale,
    now: () => new Date(realStart + (Date.now() - realStart) * timeScale),
    realMs: (emulatedSeconds: number) => (emulatedSeconds * 1000) / timeScale,
  };
}
