/**
 * The price table the cost estimate uses: one entry per region, every price with the page it was read from
 * and the date it was looked up. Prices change; update the figure, its source and its date together.
 * Only list (on-demand) prices are used: no free tier, no volume discounts, no taxes.
 */

/** One price: `usd` for every `per` units of `unit`. */
export interface Price {
  usd: number;
  per: number;
  unit: string;
  /** The page the figure was read from. */
  source: string;
  /** The date (YYYY-MM-DD) it was looked up. */
  checked: string;
}

/** Archive storage classes a restore can read from (S3InitiateRestoreObject). */
export type ArchiveStorageClass = 'GLACIER' | 'DEEP_ARCHIVE';
/** S3 Batch Operations offers only these two restore tiers (S3InitiateRestoreObjectOperation.GlacierJobTier). */
export type RestoreTier = 'BULK' | 'STANDARD';

export interface PriceTable {
  batchOperationsJob: Price;
  batchOperationsObjects: Price;
  /** PUT, COPY, POST, LIST requests to S3 Standard: PutObjectTagging, PutObjectAcl, CopyObject, legal hold, retention. */
  s3PutRequests: Price;
  /** GET, SELECT and all other requests to S3 Standard. */
  s3GetRequests: Price;
  restoreRequests: Record<ArchiveStorageClass, Record<RestoreTier, Price>>;
  restoreRetrieval: Record<ArchiveStorageClass, Record<RestoreTier, Price>>;
  lambdaRequests: Price;
  lambdaCompute: Price;
  stepFunctionsTransitions: Price;
  eventBridgeCustomEvents: Price;
}

const checked = '2026-12-06';
const s3Pricing = 'Amazon S3 pricing, https://aws.amazon.com/s3/pricing/';
const retrievalOptions =
  'Amazon S3 User Guide, Archive retrieval options (Bulk retrievals are free for S3 Glacier Flexible Retrieval), ' +
  'https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects-retrieval-options.html; Standard figures ' +
  'from AWS re:Post, https://repost.aws/knowledge-center/s3-manage-data-retrieval';

const price = (usd: number, per: number, unit: string, source: string): Price => ({
  usd,
  per,
  unit,
  source,
  checked,
});

const usEast1: PriceTable = {
  batchOperationsJob: price(0.25, 1, 'job', `${s3Pricing} (Management & Insights, S3 Batch Operations)`),
  batchOperationsObjects: price(
    1.0,
    1_000_000,
    'objects',
    `${s3Pricing} (Management & Insights, S3 Batch Operations)`,
  ),
  s3PutRequests: price(0.005, 1_000, 'requests', `${s3Pricing} (Requests & data retrievals, S3 Standard)`),
  s3GetRequests: price(0.0004, 1_000, 'requests', `${s3Pricing} (Requests & data retrievals, S3 Standard)`),
  restoreRequests: {
    GLACIER: {
      BULK: price(0, 1_000, 'restore requests', retrievalOptions),
      STANDARD: price(0.05, 1_000, 'restore requests', retrievalOptions),
    },
    DEEP_ARCHIVE: {
      BULK: price(0.025, 1_000, 'restore requests', `${s3Pricing} (S3 Glacier Deep Archive, Bulk)`),
      STANDARD: price(0.1, 1_000, 'restore requests', `${s3Pricing} (S3 Glacier Deep Archive, Standard)`),
    },
  },
  restoreRetrieval: {
    GLACIER: {
      BULK: price(0, 1, 'GB retrieved', retrievalOptions),
      STANDARD: price(0.01, 1, 'GB retrieved', retrievalOptions),
    },
    DEEP_ARCHIVE: {
      BULK: price(0.0025, 1, 'GB retrieved', `${s3Pricing} (S3 Glacier Deep Archive, Bulk)`),
      STANDARD: price(0.02, 1, 'GB retrieved', `${s3Pricing} (S3 Glacier Deep Archive, Standard)`),
    },
  },
  lambdaRequests: price(
    0.2,
    1_000_000,
    'invocations',
    'AWS Lambda pricing, https://aws.amazon.com/lambda/pricing/ (x86)',
  ),
  lambdaCompute: price(
    0.0000166667,
    1,
    'GB-seconds',
    'AWS Lambda pricing, https://aws.amazon.com/lambda/pricing/ (x86)',
  ),
  stepFunctionsTransitions: price(
    0.025,
    1_000,
    'state transitions',
    'AWS Step Functions pricing, https://aws.amazon.com/step-functions/pricing/ (Standard workflows)',
  ),
  eventBridgeCustomEvents: price(
    1.0,
    1_000_000,
    'custom events',
    'Amazon EventBridge pricing, https://aws.amazon.com/eventbridge/pricing/ (custom events)',
  ),
};

/** Regions with a price table. A region missing here cannot be estimated (no silent us-east-1 fallback). */
export const priceTables: Readonly<Record<string, PriceTable>> = { 'us-east-1': usEast1 };
