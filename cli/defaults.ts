/**
 * Defaults the CLI and the embedded local AWS must agree on (STYLE.md rule 11): `s3bo local` serves on
 * `defaultLocalEndpoint` and names its resources with `defaultLocalAccountId`, and every other command
 * talks to that endpoint as that account when the stage is `local`.
 */

import { defaultLocalPort, localAccountId, localRegion } from '../emulator/index.js';

export const defaultStage = 'local';
export const defaultRegion = localRegion;

/** Where `s3bo local` listens (one port for every emulated service). */
export const defaultLocalEndpoint = `http://127.0.0.1:${defaultLocalPort}`;

/** The account id of the embedded local AWS (the convention other AWS emulators use too). */
export const defaultLocalAccountId = localAccountId;

/**
 * The state bucket the local deploy creates for a stage (local/deploy-local.ts). On AWS the stack lets
 * CloudFormation name it, so commands that read it there take `--state-bucket`.
 */
export const localStateBucket = (stage: string): string => `s3-batch-orchestrator-${stage}-state`;

/** The local AWS's data directory (durable store and event logs), relative to the working directory. */
export const defaultDataDir = '.s3bo';

/**
 * Credentials for a loopback endpoint when the environment has none: the emulator does not check
 * signatures, but the SDK refuses to sign without credentials.
 */
export const localCredentials = { accessKeyId: 'S3BOLOCAL', secretAccessKey: 's3bo-local-secret' } as const;

/** Attempts per AWS call from the CLI: fewer than the Lambdas' 5, so a stopped endpoint fails fast. */
export const cliMaxAttempts = 3;

/** Environment variables the CLI reads (besides the SDK's own AWS_* ones). */
export const cliEnvVars = {
  accountId: 'S3BO_ACCOUNT_ID',
  debug: 'S3BO_DEBUG',
} as const;
