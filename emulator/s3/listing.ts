import type { HttpRequest, HttpResponse } from '../contracts.js';
import { invalidArgument } from './errors.js';
import type { ObjectVersion } from './model.js';
import type { S3Operations } from './operations.js';
import { compareKeys, searchKeys } from './store.js';
import { el, opt, S3_XMLNS, xmlDocument } from './xml.js';

type Entry = { key: string; versions: ObjectVersion[] } | { prefix: string };

interface WalkResult {
  entries: Entry[];
  truncated: boolean;
  /** The last key or common prefix returned: where the next page starts. */
  nextMarker?: string;
}

/**
 * Walks keys in S3 order after `marker`, rolling keys up into common prefixes; every key or prefix counts
 * toward max-keys, as in S3. `select` picks the versions of a key to show (none: the key is skipped).
 */
function walk(
  keys: string[],
  options: { prefix: string; delimiter?: string; maxKeys: number; marker?: string },
  select: (key: string) => ObjectVersion[],
): WalkResult {
  const { prefix, delimiter, maxKeys, marker } = options;
  const commonPrefixOf = (key: string): string | undefined => {
    if (!delimiter) return undefined;
    const at = key.indexOf(delimiter, prefix.length);
    return at === -1 ? undefined : key.slice(0, at + delimiter.length);
  };
  const entries: Entry[] = [];
  let lastPrefix = marker !== undefined && commonPrefixOf(marker) === marker ? marker : undefined;
  let nextMarker: string | undefined;
  let truncated = false;
  const start =
    marker !== undefined && compareKeys(marker, prefix) >= 0
      ? searchKeys(keys, marker)
      : searchKeys(keys, prefix, true);
  for (let i = start; i < keys.length; i++) {
    const key = keys[i]!;
    if (!key.startsWith(prefix)) break;
    const commonPrefix = commonPrefixOf(key);
    if (commonPrefix !== undefined && commonPrefix === lastPrefix) continue;
    const versions = select(key);
    if (versions.length === 0) continue;
    if (entries.length >= maxKeys) {
      truncated = true;
      break;
    }
    if (commonPrefix !== undefined) {
      entries.push({ prefix: commonPrefix });
      lastPrefix = commonPrefix;
      nextMarker = commonPrefix;
    } else {
      entries.push({ key, versions });
      nextMarker = key;
    }
  }
  return { entries, truncated, nextMarker };
}

/** encoding-type=url: S3 form-encodes names (space as +) but leaves / alone. */
function encoder(request: HttpRequest): (value: string | undefined) => string | undefined {
  const encoding = request.query.get('encoding-type');
  if (encoding === null) return (value) => value;
  if (encoding !== 'url')
    throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encoding);
  return (value) =>
    value === undefined ? undefined : encodeURIComponent(value).replace(/%20/g, '+').replace(/%2F/g, '/');
}

function maxKeysOf(request: HttpRequest): number {
  const raw = request.query.get('max-keys');
  if (raw === null) return 1000;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value))
    throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', raw);
  return Math.min(value, 1000);
}

const isoMillis = (iso: string) => new Date(iso).toISOString();

function contents(
  ops: S3Operations,
  key: string | undefined,
  version: ObjectVersion,
  withOwner: boolean,
): string {
  return el('Contents', [
    el('Key', key ?? ''),
    el('LastModified', isoMillis(version.lastModified)),
    el('ETag', version.etag),
    ...(version.checksum ? [el('ChecksumAlgorithm', version.checksum.algorithm)] : []),
    el('Size', version.size),
    ...(withOwner
      ? [el('Owner', [el('ID', ops.owner.ID ?? ''), el('DisplayName', ops.owner.DisplayName ?? '')])]
      : []),
    el('StorageClass', version.storageClass),
  ]);
}

const xmlResponse = (body: string): HttpResponse => ({
  status: 200,
  headers: { 'content-type': 'application/xml' },
  body: xmlDocument(body),
});

/** ListObjectsV2 (`list-type=2`) and ListObjects (v1, marker based). */
export function listObjects(ops: S3Operations, bucket: string, request: HttpRequest): HttpResponse {
  ops.store.requireBucket(bucket);
  const q = request.query;
  const v2 = q.get('list-type') === '2';
  const encode = encoder(request);
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') || undefined;
  const maxKeys = maxKeysOf(request);
  const token = q.get('continuation-token') ?? undefined;
  let marker: string | undefined;
  if (v2 && token !== undefined) {
    marker = Buffer.from(token, 'base64url').toString('utf8');
    if (!token || !marker.startsWith('k:'))
      throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
    marker = marker.slice(2);
  } else {
    marker = (v2 ? q.get('start-after') : q.get('marker')) || undefined;
  }
  const result = walk(ops.store.keys(bucket), { prefix, delimiter, maxKeys, marker }, (key) => {
    const latest = ops.store.getObject(bucket, key)?.versions[0];
    return latest && !latest.deleteMarker ? [latest] : [];
  });
  const withOwner = !v2 || q.get('fetch-owner') === 'true';
  const items = result.entries.map((entry) =>
    'prefix' in entry
      ? el('CommonPrefixes', [el('Prefix', encode(entry.prefix) ?? '')])
      : contents(ops, encode(entry.key), entry.versions[0]!, withOwner),
  );
  const next = result.truncated && result.nextMarker !== undefined ? result.nextMarker : undefined;
  const header = v2
    ? [
        el('Name', bucket),
        el('Prefix', encode(prefix) ?? ''),
        opt('Delimiter', encode(delimiter)),
        el('MaxKeys', maxKeys),
        opt('EncodingType', q.get('encoding-type') ?? undefined),
        el('KeyCount', result.entries.length),
        el('IsTruncated', result.truncated),
        opt('ContinuationToken', token),
        opt(
          'NextContinuationToken',
          next === undefined ? undefined : Buffer.from(`k:${next}`).toString('base64url'),
        ),
        opt('StartAfter', encode(q.get('start-after') ?? undefined)),
      ]
    : [
        el('Name', bucket),
        el('Prefix', encode(prefix) ?? ''),
        el('Marker', encode(q.get('marker') ?? '') ?? ''),
        opt('NextMarker', delimiter ? encode(next) : undefined),
        el('MaxKeys', maxKeys),
        opt('Delimiter', encode(delimiter)),
        opt('EncodingType', q.get('encoding-type') ?? undefined),
        el('IsTruncated', result.truncated),
      ];
  return xmlResponse(el('ListBucketResult', [...header, ...items], { xmlns: S3_XMLNS }));
}

/** ListObjectVersions (`?versions`): keys in order, each key's versions newest first, delete markers included. */
export function listObjectVersions(ops: S3Operations, bucket: string, request: HttpRequest): HttpResponse {
  ops.store.requireBucket(bucket);
  const q = request.query;
  const encode = encoder(request);
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') || undefined;
  const maxKeys = maxKeysOf(request);
  const keyMarker = q.get('key-marker') || undefined;
  const versionIdMarker = q.get('version-id-marker') || undefined;
  // Versions count toward max-keys one by one, so a key's versions may be split across pages.
  type Row = { key: string; version: ObjectVersion; isLatest: boolean } | { prefix: string };
  const rows: Row[] = [];
  let truncated = false;
  const keys = ops.store.keys(bucket);
  const startMarker = versionIdMarker && keyMarker ? undefined : keyMarker;
  const walked = walk(
    keys,
    { prefix, delimiter, maxKeys: Number.MAX_SAFE_INTEGER, marker: startMarker },
    (key) => {
      if (versionIdMarker && keyMarker && compareKeys(key, keyMarker) < 0) return [];
      return ops.store.getObject(bucket, key)?.versions ?? [];
    },
  );
  outer: for (const entry of walked.entries) {
    if ('prefix' in entry) {
      if (rows.length >= maxKeys) {
        truncated = true;
        break;
      }
      rows.push(entry);
      continue;
    }
    let skipping = versionIdMarker !== undefined && entry.key === keyMarker;
    for (const [index, version] of entry.versions.entries()) {
      if (skipping) {
        if (version.versionId === versionIdMarker) skipping = false;
        continue;
      }
      if (rows.length >= maxKeys) {
        truncated = true;
        break outer;
      }
      rows.push({ key: entry.key, version, isLatest: index === 0 });
    }
  }
  const last = rows[rows.length - 1];
  const owner = el('Owner', [el('ID', ops.owner.ID ?? ''), el('DisplayName', ops.owner.DisplayName ?? '')]);
  const items = rows.map((row) => {
    if ('prefix' in row) return el('CommonPrefixes', [el('Prefix', encode(row.prefix) ?? '')]);
    const { version } = row;
    const common = [
      el('Key', encode(row.key) ?? ''),
      el('VersionId', version.versionId),
      el('IsLatest', row.isLatest),
      el('LastModified', isoMillis(version.lastModified)),
    ];
    if (version.deleteMarker) return el('DeleteMarker', [...common, owner]);
    return el('Version', [
      ...common,
      el('ETag', version.etag),
      el('Size', version.size),
      el('StorageClass', version.storageClass),
      owner,
    ]);
  });
  const header = [
    el('Name', bucket),
    el('Prefix', encode(prefix) ?? ''),
    el('KeyMarker', encode(keyMarker ?? '') ?? ''),
    el('VersionIdMarker', versionIdMarker ?? ''),
    ...(truncated && last
      ? 'prefix' in last
        ? [el('NextKeyMarker', encode(last.prefix) ?? '')]
        : [el('NextKeyMarker', encode(last.key) ?? ''), el('NextVersionIdMarker', last.version.versionId)]
      : []),
    el('MaxKeys', maxKeys),
    opt('Delimiter', encode(delimiter)),
    opt('EncodingType', q.get('encoding-type') ?? undefined),
    el('IsTruncated', truncated),
  ];
  return xmlResponse(el('ListVersionsResult', [...header, ...items], { xmlns: S3_XMLNS }));
}
