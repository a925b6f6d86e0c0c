/**
 * A dry count of the objects a ManifestGenerator job would run on: the source bucket is listed (ListObjectsV2,
 * current versions only, as the generator lists; per matchAnyPrefix when given) and the filter is applied as
 * far as a listing shows it: key prefix, suffix and substring, size, storage class, and LastModified against
 * the effective creation dates. Replication and encryption are not in a listing: a filter that uses them can
 * only select fewer objects than counted here, so the count is then an upper bound.
 */
import type { ManifestGeneratorFilter, ManifestGeneratorWithDefaults } from '../../generated/types.js';
import { ObjectNotFoundError, RequestValidationError } from '../errors.js';
import type { EffectiveCreationDates } from '../manifest-source/generator.js';
import type { ListedObject, ObjectStorePort } from '../ports.js';

/**
 * Listed objects past which there is no estimate. A million objects are a thousand ListObjectsV2 calls
 * (about $0.005 of LIST requests), about what one SubmitJob Lambda can list in its time; a bigger bucket is
 * what the generator is for, and is left to S3 to count.
 */
export const maxGeneratorListedObjects = 1_000_000;

export interface GeneratedObjectCount {
  objectCount: number;
  /** The filter uses conditions a listing cannot show: the job may run on fewer objects. */
  isUpperBound: boolean;
}

/** Undefined when the source bucket lists more than `maxListedObjects` objects (nothing counted then). */
export async function countGeneratedObjects(
  objects: ObjectStorePort,
  generator: ManifestGeneratorWithDefaults,
  dates: EffectiveCreationDates,
  maxListedObjects: number = maxGeneratorListedObjects,
): Promise<GeneratedObjectCount | undefined> {
  const filter = generator.filter;
  const matches = listingMatcher(filter, dates);
  let listed = 0;
  let objectCount = 0;
  for (const prefix of listingPrefixes(filter)) {
    // Every page but a malformed one lists at least one key, so this page bound is never what stops a count.
    const pages = objects.listObjects(generator.sourceBucket, {
      ...(prefix === undefined ? {} : { prefix }),
      maxPages: maxListedObjects + 1,
    });
    try {
      for await (const page of pages) {
        listed += page.objects.length;
        if (listed > maxListedObjects) return undefined;
        objectCount += page.objects.filter(matches).length;
      }
    } catch (error) {
      if (error instanceof ObjectNotFoundError) {
        throw new RequestValidationError(
          'manifestGenerator.sourceBucket',
          `bucket ${generator.sourceBucket} does not exist`,
          { cause: error },
        );
      }
      throw error;
    }
  }
  return { objectCount, isUpperBound: hidesFromListing(filter) };
}

/** The prefixes to list: each matchAnyPrefix once, none inside another (its keys are listed already). */
function listingPrefixes(filter: ManifestGeneratorFilter | undefined): (string | undefined)[] {
  const prefixes = filter?.keyNameConstraint?.matchAnyPrefix;
  if (prefixes === undefined || prefixes.length === 0) return [undefined];
  const unique = [...new Set(prefixes)];
  return unique.filter((prefix) => !unique.some((other) => other !== prefix && prefix.startsWith(other)));
}

function listingMatcher(
  filter: ManifestGeneratorFilter | undefined,
  dates: EffectiveCreationDates,
): (object: ListedObject) => boolean {
  const suffixes = filter?.keyNameConstraint?.matchAnySuffix;
  const substrings = filter?.keyNameConstraint?.matchAnySubstring;
  const storageClasses =
    filter?.matchAnyStorageClass === undefined ? undefined : new Set<string>(filter.matchAnyStorageClass);
  const greaterThan = filter?.objectSizeGreaterThanBytes;
  const lessThan = filter?.objectSizeLessThanBytes;
  const after = dates.createdAfter === undefined ? undefined : Date.parse(dates.createdAfter);
  const before = dates.createdBefore === undefined ? undefined : Date.parse(dates.createdBefore);
  return (object) => {
    if (suffixes && !suffixes.some((suffix) => object.key.endsWith(suffix))) return false;
    if (substrings && !substrings.some((part) => object.key.includes(part))) return false;
    if (greaterThan !== undefined && !(object.size > greaterThan)) return false;
    if (lessThan !== undefined && !(object.size < lessThan)) return false;
    if (storageClasses && !storageClasses.has(object.storageClass)) return false;
    const created = Date.parse(object.lastModified);
    if (after !== undefined && !(created > after)) return false;
    if (before !== undefined && !(created < before)) return false;
    return true;
  };
}

/** Conditions on what ListObjectsV2 does not return: replication status and eligibility, encryption. */
function hidesFromListing(filter: ManifestGeneratorFilter | undefined): boolean {
  return (
    filter?.eligibleForReplication !== undefined ||
    filter?.objectReplicationStatuses !== undefined ||
    filter?.matchAnyObjectEncryption !== undefined
  );
}
