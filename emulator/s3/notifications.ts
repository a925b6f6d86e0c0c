import type { EmulatorClock, EventSink } from '../contracts.js';
import { newRequestId } from './errors.js';
import type { ObjectVersion } from './model.js';

export type ObjectEventType =
  | 'Object Created'
  | 'Object Deleted'
  | 'Object Restore Initiated'
  | 'Object Restore Completed';

let sequence = 0;

/** S3's sequencer: a hex string that grows with every event for a key, so consumers can order them. */
function nextSequencer(): string {
  sequence = (sequence + 1) % 0x100000;
  return (BigInt(Date.now()) * 0x100000n + BigInt(sequence)).toString(16).toUpperCase().padStart(16, '0');
}

const eventTime = (clock: EmulatorClock) =>
  clock
    .now()
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');

/**
 * Publishes S3's EventBridge notifications (User Guide, "EventBridge event message structure").
 * The envelope (id, account, region, time) is added by EventBridge; this builds Source, DetailType and detail.
 */
export class S3Notifier {
  constructor(
    private readonly sink: EventSink | undefined,
    private readonly clock: EmulatorClock,
    private readonly accountId: string,
    private readonly region: string,
  ) {}

  objectEvent(
    type: ObjectEventType,
    bucket: string,
    key: string,
    version: ObjectVersion | undefined,
    fields: Record<string, unknown>,
  ): void {
    if (!this.sink) return;
    const object: Record<string, unknown> = { key };
    if (version && !version.deleteMarker) {
      object.size = version.size;
      object.etag = version.etag.replace(/"/g, '');
    }
    if (version && version.versionId !== 'null') object['version-id'] = version.versionId;
    if (type === 'Object Created' || type === 'Object Deleted') object.sequencer = nextSequencer();
    const detail = {
      version: '0',
      bucket: { name: bucket },
      object,
      'request-id': newRequestId(),
      requester: this.accountId,
      'source-ip-address': '127.0.0.1',
      ...fields,
    };
    this.sink.putEvents(
      [
        {
          Source: 'aws.s3',
          DetailType: type,
          Detail: JSON.stringify(detail),
          Resources: [`arn:aws:s3:::${bucket}`],
          Time: eventTime(this.clock),
        },
      ],
      this.accountId,
      this.region,
    );
  }
}
