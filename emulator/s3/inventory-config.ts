/**
 * S3 Inventory configurations (PutBucketInventoryConfiguration's `InventoryConfiguration` document): parsing
 * with S3's validation and error codes, and rendering for Get/ListBucketInventoryConfigurations.
 *
 * Error codes: enum values, missing required elements and unknown OptionalFields are `MalformedXML` (the API
 * reference: "Throws MalformedXML error if unsupported optional field is provided"); a body Id other than the
 * query's is `IdMismatch` and a destination that is not a bucket ARN `InvalidS3DestinationBucket`, with the
 * messages LocalStack's AWS-validated S3 provider uses (`validate_inventory_configuration`).
 */
import { invalidArgument, S3Error } from './errors.js';
import { child, childrenNamed, childText, el, opt, parseXmlBody, S3_XMLNS, type XmlNode } from './xml.js';

/** "You can have up to 1,000 inventory configurations per bucket" (PutBucketInventoryConfiguration). */
export const MAX_INVENTORY_CONFIGURATIONS = 1000;
/** ListBucketInventoryConfigurations "does not return more than 100 configurations at a time". */
export const INVENTORY_LIST_PAGE_SIZE = 100;

/**
 * Every OptionalFields value the S3 model (@aws-sdk/client-s3 `InventoryOptionalField`) accepts, in the order
 * of the report's columns. The first fifteen follow AWS's documented fileSchema ("Locating your inventory
 * list"), then LifecycleExpirationDate, as the API reference lists it. AWS documents no column position for
 * the three newest fields; they come last, in the order written here.
 */
export const INVENTORY_OPTIONAL_FIELDS = [
  'Size',
  'LastModifiedDate',
  'ETag',
  'StorageClass',
  'IsMultipartUploaded',
  'ReplicationStatus',
  'EncryptionStatus',
  'ObjectLockRetainUntilDate',
  'ObjectLockMode',
  'ObjectLockLegalHoldStatus',
  'IntelligentTieringAccessTier',
  'BucketKeyStatus',
  'ChecksumAlgorithm',
  'ObjectAccessControlList',
  'ObjectOwner',
  'LifecycleExpirationDate',
  'IntelligentTieringReferenceDate',
  'ObjectLockEventHoldStatus',
  'ObjectLockEventHoldDuration',
] as const;
export type InventoryOptionalField = (typeof INVENTORY_OPTIONAL_FIELDS)[number];

export type InventoryFormat = 'CSV' | 'ORC' | 'Parquet';
export type InventoryFrequency = 'Daily' | 'Weekly';

export interface InventoryDestination {
  /** `arn:aws:s3:::name`, as configured. */
  bucketArn: string;
  /** The bucket name inside `bucketArn`. */
  bucket: string;
  format: InventoryFormat;
  accountId?: string;
  prefix?: string;
  /** SSE-S3 (`{}`) or SSE-KMS (`{ kmsKeyId }`) for the delivered files. */
  encryption?: { kmsKeyId?: string };
}

/** One inventory configuration as stored on the bucket (BucketDoc.inventory). */
export interface InventoryConfig {
  id: string;
  isEnabled: boolean;
  includedObjectVersions: 'All' | 'Current';
  frequency: InventoryFrequency;
  /** Filter/Prefix; undefined when the configuration has no Filter. */
  filterPrefix?: string;
  optionalFields: InventoryOptionalField[];
  destination: InventoryDestination;
  /** Emulated ISO time of the first PUT of this Id: the first scheduled report comes after it. */
  createdAt: string;
  /** The last scheduled delivery slot (emulated ISO time), kept so a restart never delivers a slot twice. */
  lastDeliveredSlot?: string;
}

const CONFIG_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** `arn:aws:s3:::bucket` (any partition); bucket names as S3 (including legacy names) allows them. */
const BUCKET_ARN = /^arn:aws[a-z-]*:s3:::([A-Za-z0-9._-]{3,255})$/;

function malformed(reason: string): S3Error {
  // S3's message, with the element at fault appended: "a clear error naming the field and the reason".
  return new S3Error(
    'MalformedXML',
    400,
    `The XML you provided was not well-formed or did not validate against our published schema (${reason})`,
  );
}

function required(node: XmlNode | undefined, name: string, path: string): string {
  const value = childText(node, name);
  if (value === undefined || value === '') throw malformed(`${path}/${name} is required`);
  return value;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], path: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw malformed(`${path} must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

/** Checks the `id` query parameter of Put/Get/DeleteBucketInventoryConfiguration. */
export function checkConfigId(id: string | null): string {
  if (id === null || id === '') throw invalidArgument('Missing required parameter: id', 'id', '');
  // AWS documents no Id rule for the API; the console's rule (letters, digits, . - _, up to 64) is applied
  // here because the Id becomes a path segment of every report key.
  if (!CONFIG_ID.test(id)) {
    throw invalidArgument(
      'The inventory configuration id must be 1-64 letters, digits, periods, hyphens or underscores',
      'id',
      id,
    );
  }
  return id;
}

function parseEncryption(node: XmlNode | undefined): InventoryDestination['encryption'] {
  if (!node) return undefined;
  const sseS3 = child(node, 'SSE-S3');
  const sseKms = child(node, 'SSE-KMS');
  if (sseS3 && sseKms) throw malformed('Encryption takes SSE-S3 or SSE-KMS, not both');
  if (sseKms) return { kmsKeyId: required(sseKms, 'KeyId', 'Encryption/SSE-KMS') };
  if (sseS3) return {};
  throw malformed('Encryption needs SSE-S3 or SSE-KMS');
}

/** The destination's schema; its ARN is checked separately, after the Id (S3's order). */
function parseDestination(root: XmlNode): Omit<InventoryDestination, 'bucket'> {
  const s3 = child(child(root, 'Destination'), 'S3BucketDestination');
  if (!s3) throw malformed('Destination/S3BucketDestination is required');
  const path = 'Destination/S3BucketDestination';
  const bucketArn = required(s3, 'Bucket', path);
  const format = oneOf(required(s3, 'Format', path), ['CSV', 'ORC', 'Parquet'] as const, `${path}/Format`);
  const accountId = childText(s3, 'AccountId');
  const prefix = childText(s3, 'Prefix', true);
  const encryption = parseEncryption(child(s3, 'Encryption'));
  return {
    bucketArn,
    format,
    ...(accountId ? { accountId } : {}),
    ...(prefix !== undefined && prefix !== '' ? { prefix } : {}),
    ...(encryption ? { encryption } : {}),
  };
}

function parseOptionalFields(root: XmlNode): InventoryOptionalField[] {
  const fields = childrenNamed(child(root, 'OptionalFields'), 'Field').map((field) => field.text.trim());
  for (const field of fields) oneOf(field, INVENTORY_OPTIONAL_FIELDS, 'OptionalFields/Field');
  return [...new Set(fields)] as InventoryOptionalField[];
}

/**
 * Parses and validates a PutBucketInventoryConfiguration body for the query's `id`, in S3's order: the XML
 * and its schema first, then the Id, then the destination ARN.
 */
export function parseInventoryConfiguration(
  body: Buffer,
  queryId: string,
  now: string,
): Omit<InventoryConfig, 'lastDeliveredSlot'> {
  const root = parseXmlBody(body, 'InventoryConfiguration');
  const id = required(root, 'Id', 'InventoryConfiguration');
  const enabled = required(root, 'IsEnabled', 'InventoryConfiguration').toLowerCase();
  if (enabled !== 'true' && enabled !== 'false') {
    throw malformed(`InventoryConfiguration/IsEnabled must be true or false, got "${enabled}"`);
  }
  const includedObjectVersions = oneOf(
    required(root, 'IncludedObjectVersions', 'InventoryConfiguration'),
    ['All', 'Current'] as const,
    'InventoryConfiguration/IncludedObjectVersions',
  );
  const frequency = oneOf(
    required(child(root, 'Schedule'), 'Frequency', 'Schedule'),
    ['Daily', 'Weekly'] as const,
    'Schedule/Frequency',
  );
  const filter = child(root, 'Filter');
  const filterPrefix = filter ? childText(filter, 'Prefix', true) : undefined;
  if (filter && filterPrefix === undefined) throw malformed('Filter/Prefix is required in a Filter');
  const optionalFields = parseOptionalFields(root);
  const destination = parseDestination(root);
  if (id !== queryId) {
    throw new S3Error('IdMismatch', 400, 'Document ID does not match the specified configuration ID.');
  }
  const bucket = BUCKET_ARN.exec(destination.bucketArn)?.[1];
  if (bucket === undefined) throw new S3Error('InvalidS3DestinationBucket', 400, 'Invalid bucket ARN.');
  return {
    id,
    isEnabled: enabled === 'true',
    includedObjectVersions,
    frequency,
    ...(filterPrefix !== undefined ? { filterPrefix } : {}),
    optionalFields,
    destination: { ...destination, bucket },
    createdAt: now,
  };
}

/** The `<InventoryConfiguration>` element, children in the API reference's order. */
export function renderInventoryConfiguration(config: InventoryConfig, xmlns = false): string {
  const { destination } = config;
  const encryption = destination.encryption
    ? el('Encryption', [
        destination.encryption.kmsKeyId === undefined
          ? el('SSE-S3')
          : el('SSE-KMS', [el('KeyId', destination.encryption.kmsKeyId)]),
      ])
    : '';
  return el(
    'InventoryConfiguration',
    [
      el('Destination', [
        el('S3BucketDestination', [
          opt('AccountId', destination.accountId),
          el('Bucket', destination.bucketArn),
          el('Format', destination.format),
          opt('Prefix', destination.prefix),
          encryption,
        ]),
      ]),
      el('IsEnabled', config.isEnabled),
      config.filterPrefix === undefined ? '' : el('Filter', [el('Prefix', config.filterPrefix)]),
      el('Id', config.id),
      el('IncludedObjectVersions', config.includedObjectVersions),
      config.optionalFields.length === 0
        ? ''
        : el(
            'OptionalFields',
            config.optionalFields.map((field) => el('Field', field)),
          ),
      el('Schedule', [el('Frequency', config.frequency)]),
    ],
    xmlns ? { xmlns: S3_XMLNS } : undefined,
  );
}
