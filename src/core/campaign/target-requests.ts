// biome-ignore-all lint/suspicious/noThenProperty: `then` is a restore campaign's second job (schemas/campaign.schema.json), a plain data field, never a function.
/**
 * A target's job request: the campaign's job template, then the target's overrides (each replaces the
 * template's whole top-level field), then its source of objects, plus the job tag s3bo:campaign. Built from
 * the campaign as written, not from its validated copy, so the child workflow's SubmitJob fills the request's
 * defaults itself (a default filled here would read as the caller's own value there: manifest.fields on an
 * inventory manifest). For restore campaigns, the restore settings become the operation's fields, and the
 * second job (`then`) is the target's request with `then`'s fields over it.
 */
import type { CampaignRestore, CampaignWithDefaults, JobRequestWithDefaults } from '../../generated/types.js';
import { RequestValidationError } from '../errors.js';
import { campaignJobTagKey } from '../names.js';
import { parseJobRequest } from '../request-validation.js';

type Json = Record<string, unknown>;

export type CampaignTargetKind = 'batch-job' | 'restore-then';

export interface TargetRequest {
  /** Position in the campaign's `targets`. */
  index: number;
  name: string;
  kind: CampaignTargetKind;
  /** The job request the child execution runs, as built (its defaults are SubmitJob's to fill). */
  request: Json;
  /** The same request validated, defaults filled: what estimates read. */
  parsed: JobRequestWithDefaults;
  /** restore-then: the restore settings as they apply to this target (tier and days as its operation has them). */
  restore?: CampaignRestore;
  /** restore-then: the second job's request without its manifest (the restored objects' CSV). */
  then?: Json;
  thenParsed?: JobRequestWithDefaults;
}

const restoreOperation = 'S3InitiateRestoreObject';

/** A CSV manifest standing in for the restored objects, which exist only once the restore is done. */
const thenManifestStandIn = { bucket: 'restore-then-manifest', key: 'restored-objects.csv' };

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Field names of the request, in the campaign's terms: `manifest.key` -> `targets[2].manifest.key`. */
function withPrefix(prefix: string, error: unknown, where = ''): unknown {
  if (!(error instanceof RequestValidationError)) return error;
  const field = error.field === 'request' ? prefix : `${prefix}.${error.field}`;
  return new RequestValidationError(field, `${error.reason}${where}`, { cause: error });
}

/**
 * Builds and validates every target's request of a campaign whose schema is valid (`written` as given,
 * `campaign` its validated copy). Throws RequestValidationError naming `targets[i].<field>` (or the
 * campaign field at fault: `restore.tier`, `restore.then.operation`).
 */
export function buildTargetRequests(written: Json, campaign: CampaignWithDefaults): TargetRequest[] {
  const template = written.job as Json;
  const targets = written.targets as Json[];
  const restore = campaign.restore;
  const kind: CampaignTargetKind = restore ? 'restore-then' : 'batch-job';
  if (restore?.then && restoreOperation in restore.then.operation) {
    throw new RequestValidationError(
      'restore.then.operation',
      'must not be S3InitiateRestoreObject: the second job runs on the objects the restore made available',
    );
  }
  return targets.map((target, index) => {
    const prefix = `targets[${index}]`;
    const overrides = isObject(target.overrides) ? target.overrides : {};
    const request: Json = { ...template, ...overrides };
    if (target.manifest !== undefined) request.manifest = target.manifest;
    if (target.manifestGenerator !== undefined) request.manifestGenerator = target.manifestGenerator;
    const tags = isObject(request.tags) ? request.tags : {};
    request.tags = { ...tags, [campaignJobTagKey]: campaign.name };
    if (restore) {
      const operationField = 'operation' in overrides ? `${prefix}.overrides.operation` : 'job.operation';
      request.operation = restoreOperationOf(request.operation, restore, operationField);
    }
    let parsed: JobRequestWithDefaults;
    try {
      parsed = parseJobRequest(request);
    } catch (error) {
      throw withPrefix(prefix, error);
    }
    const built: TargetRequest = { index, name: String(target.name), kind, request, parsed };
    if (restore) {
      const reportField = 'report' in overrides ? `${prefix}.overrides.report` : 'job.report';
      checkRestoreReport(parsed, restore, reportField);
      built.restore = effectiveRestore(restore, request.operation as Json);
    }
    if (restore?.then) {
      const then = thenRequest(request, written.restore as Json);
      try {
        built.thenParsed = parseJobRequest({ ...then, manifest: thenManifestStandIn });
      } catch (error) {
        throw withPrefix('restore.then', error, ` (the second job of ${prefix}, ${String(target.name)})`);
      }
      built.then = then;
    }
    return built;
  });
}

/**
 * A restore campaign's operation: S3InitiateRestoreObject, with restore.tier and restore.expirationDays as its
 * GlacierJobTier and ExpirationInDays; the same field written differently in the operation is a conflict.
 */
function restoreOperationOf(
  operation: unknown,
  restore: NonNullable<CampaignWithDefaults['restore']>,
  field: string,
): Json {
  const fields = isObject(operation) ? operation[restoreOperation] : undefined;
  if (!isObject(fields)) {
    throw new RequestValidationError(
      field,
      `must be S3InitiateRestoreObject in a restore campaign (the campaign has "restore"), got ${Object.keys(isObject(operation) ? operation : {}).join(', ') || 'none'}`,
    );
  }
  // RestoreObject's own default tier is Standard ("Archive retrieval options"): written out, so the
  // restore-then machine and the job agree on the tier its deadline is derived from.
  const merged: Json = { ...fields };
  if (restore.tier === undefined && merged.GlacierJobTier === undefined) merged.GlacierJobTier = 'STANDARD';
  const settings = [
    ['tier', 'GlacierJobTier', restore.tier],
    ['expirationDays', 'ExpirationInDays', restore.expirationDays],
  ] as const;
  for (const [setting, operationField, value] of settings) {
    if (value === undefined) continue;
    if (merged[operationField] !== undefined && merged[operationField] !== value) {
      throw new RequestValidationError(
        `restore.${setting}`,
        `is ${JSON.stringify(value)} but ${field}.${restoreOperation}.${operationField} is ${JSON.stringify(merged[operationField])}: give it in one place`,
      );
    }
    merged[operationField] = value;
  }
  return { [restoreOperation]: merged };
}

/**
 * The restore-then machine reads the restored objects off the restore job's report: the report must be
 * written, and list succeeded tasks when a second job is to run over them.
 */
function checkRestoreReport(
  parsed: JobRequestWithDefaults,
  restore: NonNullable<CampaignWithDefaults['restore']>,
  field: string,
): void {
  if (!parsed.report.enabled) {
    throw new RequestValidationError(
      `${field}.enabled`,
      "must be true in a restore campaign: the restore job's report lists the objects to wait for",
    );
  }
  if (restore.then && parsed.report.scope === 'FailedTasksOnly') {
    throw new RequestValidationError(
      `${field}.scope`,
      'must be AllTasks with restore.then: the second job runs over the succeeded rows of the restore report',
    );
  }
}

/** The campaign's restore settings as a target's operation applies them. */
function effectiveRestore(restore: CampaignRestore, operation: Json): CampaignRestore {
  const fields = operation[restoreOperation] as {
    GlacierJobTier?: 'BULK' | 'STANDARD';
    ExpirationInDays?: number;
  };
  return {
    ...restore,
    ...(fields.GlacierJobTier === undefined ? {} : { tier: fields.GlacierJobTier }),
    ...(fields.ExpirationInDays === undefined ? {} : { expirationDays: fields.ExpirationInDays }),
  };
}

/** The fields of the restore job a second job keeps: everything but its objects, operation and description. */
const notInherited = new Set(['manifest', 'manifestGenerator', 'operation', 'description', 'budget']);

function thenRequest(restoreRequest: Json, restore: Json): Json {
  const inherited = Object.fromEntries(
    Object.entries(restoreRequest).filter(([key]) => !notInherited.has(key)),
  );
  return { ...inherited, ...(restore.then as Json) };
}
