/**
 * The cost of one S3 Batch Operations job before it is created: the Batch Operations fees, the requests the
 * operation makes per object, and the orchestration around it. Pure: prices come from prices.ts.
 */
import { RequestValidationError } from '../errors.js';
import type { ObjectCountSource } from './count-objects.js';
import {
  type ArchiveStorageClass,
  type Price,
  type PriceTable,
  priceTables,
  type RestoreTier,
} from './prices.js';

export interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  /** Price for `per` units. */
  unitPriceUsd: number;
  per: number;
  usd: number;
  source: string;
}

export interface CostEstimate {
  region: string;
  objectCount: number;
  /** How objects were counted (count-objects.ts); absent when the caller gave a count of its own. */
  objectCountSource?: ObjectCountSource;
  /** The count can only be too high (a generator filter a listing cannot apply in full). */
  objectCountIsUpperBound?: boolean;
  lines: CostLine[];
  totalUsd: number;
  /** What the estimate leaves out, and why. */
  notes: string[];
}

export interface EstimateInput {
  /** The request's `operation`: exactly one key (JobOperation). */
  operation: Record<string, unknown>;
  objectCount: number;
  objectCountSource?: ObjectCountSource;
  objectCountIsUpperBound?: boolean;
  /** Total size of the objects, when known; needed for per-GB restore retrieval. */
  totalBytes?: number;
  region: string;
  /** Where restored objects are archived; S3 Batch Operations restores from either (default GLACIER). */
  storageClass?: ArchiveStorageClass;
  /** The LambdaInvoke function's memory and average duration, for its GB-seconds. */
  lambda?: { memoryMb: number; averageDurationMs: number };
}

/**
 * What one workflow execution costs besides the job, assumed rather than measured: the batch-job machine
 * takes about ten states to submit, confirm, report and emit, plus a poll loop of a few states per
 * DescribeJob (wait.minSeconds..maxSeconds backoff: a few dozen polls for a job of hours); three events
 * (Submitted, a status change, Completed). Small next to the job's own fees at any real object count.
 */
export const orchestrationAssumptions = {
  stateTransitions: 100,
  lambdaInvocations: 30,
  events: 3,
} as const;

const bytesPerGb = 1024 ** 3;
/** Rounded to a millionth of a dollar so sums of tiny prices do not show float noise. */
const round = (usd: number): number => Math.round(usd * 1e6) / 1e6;

export function estimateJobCost(input: EstimateInput): CostEstimate {
  const prices = priceTables[input.region];
  if (!prices) {
    throw new RequestValidationError(
      'region',
      `has no price table (known: ${Object.keys(priceTables).join(', ')}); add one to src/core/cost/prices.ts`,
    );
  }
  if (!Number.isInteger(input.objectCount) || input.objectCount < 0) {
    throw new RequestValidationError('objectCount', `must be a whole number ≥ 0, got ${input.objectCount}`);
  }
  const lines: CostLine[] = [];
  const notes: string[] = [];
  const add = (item: string, quantity: number, p: Price): void => {
    lines.push({
      item,
      quantity,
      unit: p.unit,
      unitPriceUsd: p.usd,
      per: p.per,
      usd: round((quantity / p.per) * p.usd),
      source: `${p.source}, checked ${p.checked}`,
    });
  };
  const n = input.objectCount;
  add('S3 Batch Operations job fee', 1, prices.batchOperationsJob);
  add('S3 Batch Operations objects processed', n, prices.batchOperationsObjects);
  addOperationLines(input, prices, add, notes);
  add(
    'Step Functions state transitions (orchestration)',
    orchestrationAssumptions.stateTransitions,
    prices.stepFunctionsTransitions,
  );
  add(
    'Lambda invocations (orchestration)',
    orchestrationAssumptions.lambdaInvocations,
    prices.lambdaRequests,
  );
  add(
    'EventBridge custom events (orchestration)',
    orchestrationAssumptions.events,
    prices.eventBridgeCustomEvents,
  );
  notes.push('Orchestration Lambda compute (GB-seconds) is not counted: a few seconds per execution.');
  if (input.objectCountIsUpperBound) {
    notes.push(
      `${n} objects is an upper bound: the generator's filter also selects by replication or encryption, which a listing does not show, so the job may run on fewer.`,
    );
  }
  return {
    region: input.region,
    objectCount: n,
    ...(input.objectCountSource === undefined ? {} : { objectCountSource: input.objectCountSource }),
    ...(input.objectCountIsUpperBound === undefined
      ? {}
      : { objectCountIsUpperBound: input.objectCountIsUpperBound }),
    lines,
    totalUsd: round(lines.reduce((sum, line) => sum + line.usd, 0)),
    notes,
  };
}

type AddLine = (item: string, quantity: number, price: Price) => void;

function addOperationLines(input: EstimateInput, prices: PriceTable, add: AddLine, notes: string[]): void {
  const [name] = Object.keys(input.operation);
  const n = input.objectCount;
  switch (name) {
    case 'S3PutObjectTagging':
      add('PutObjectTagging requests', n, prices.s3PutRequests);
      return;
    case 'S3PutObjectAcl':
      add('PutObjectAcl requests', n, prices.s3PutRequests);
      return;
    case 'S3PutObjectCopy':
      add('CopyObject requests', n, prices.s3PutRequests);
      notes.push(
        'Copies are priced as S3 Standard COPY requests; other destination classes and cross-Region transfer are not counted.',
      );
      return;
    case 'S3PutObjectLegalHold':
      add('PutObjectLegalHold requests', n, prices.s3PutRequests);
      return;
    case 'S3PutObjectRetention':
      add('PutObjectRetention requests', n, prices.s3PutRequests);
      return;
    case 'S3DeleteObjectTagging':
      notes.push('DeleteObjectTagging requests are DELETE requests, which S3 does not charge for.');
      return;
    case 'S3ReplicateObject':
      add('Replication PUT requests', n, prices.s3PutRequests);
      notes.push('Replication data transfer between Regions is not counted.');
      return;
    case 'S3InitiateRestoreObject':
      addRestoreLines(input, prices, add, notes);
      return;
    case 'LambdaInvoke':
      add('Lambda invocations (one per object)', n, prices.lambdaRequests);
      if (input.lambda) {
        const gbSeconds = n * (input.lambda.memoryMb / 1024) * (input.lambda.averageDurationMs / 1000);
        add(`Lambda compute at ${input.lambda.memoryMb} MB`, gbSeconds, prices.lambdaCompute);
      } else {
        notes.push(
          'The invoked function’s compute (GB-seconds) is not counted: its memory and duration are unknown.',
        );
      }
      return;
    default:
      notes.push(
        `${name} has no request charges in the price table; only the Batch Operations fees are counted.`,
      );
  }
}

function addRestoreLines(input: EstimateInput, prices: PriceTable, add: AddLine, notes: string[]): void {
  const operation = input.operation.S3InitiateRestoreObject as { GlacierJobTier?: RestoreTier };
  // RestoreObject's own default tier is Standard (S3 User Guide, "Archive retrieval options").
  const tier: RestoreTier = operation.GlacierJobTier ?? 'STANDARD';
  const storageClass: ArchiveStorageClass = input.storageClass ?? 'GLACIER';
  const label = `${storageClass} ${tier}`;
  add(`Restore requests (${label})`, input.objectCount, prices.restoreRequests[storageClass][tier]);
  const retrieval = prices.restoreRetrieval[storageClass][tier];
  if (input.totalBytes !== undefined) {
    add(`Restore retrieval (${label})`, input.totalBytes / bytesPerGb, retrieval);
  } else if (retrieval.usd > 0) {
    notes.push(
      `Retrieval at $${retrieval.usd} per GB (${label}) is not counted: the objects' total size is unknown.`,
    );
  }
}
