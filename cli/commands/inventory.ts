/**
 * `s3bo inventory run <bucket> <configId>`: writes an S3 Inventory report now on the local AWS, through its
 * admin route (POST /_s3bo/inventory/run), and prints where the manifest is. On AWS, S3 delivers inventory
 * reports on its own daily/weekly schedule and has no such call, so the command refuses AWS endpoints.
 */
import type { Command } from 'commander';
import { INVENTORY_RUN_PATH, type InventoryRunResponse } from '../../emulator/index.js';
import { resolveEndpoint } from '../../src/adapters/aws/index.js';
import { ServiceRequestRejectedError, ServiceUnavailableError } from '../../src/core/errors.js';
import type { CliConfig } from '../context.js';
import { CliUsageError } from '../errors.js';
import { printJson, println } from '../io.js';
import type { CommandDeps } from '../program.js';

export function registerInventoryCommand(program: Command, deps: CommandDeps): void {
  const inventory = program
    .command('inventory')
    .description(
      'S3 Inventory reports on the local AWS (configure them with PutBucketInventoryConfiguration)',
    );
  inventory
    .command('run')
    .description(
      'write an inventory report now (manifest.json, manifest.checksum, data files) and print the manifest location',
    )
    .argument('<bucket>', 'the source bucket')
    .argument('<configId>', 'the inventory configuration id')
    .action(async (bucket: string, configId: string, _flags: object, command: Command) => {
      const ctx = deps.context(command);
      const result = await runInventory(localEndpoint(ctx.config), bucket, configId);
      if (ctx.config.json) printJson(deps.io.stdout, result);
      else println(deps.io.stdout, `s3://${result.destinationBucket}/${result.manifestKey}`);
    });
}

/** The S3 endpoint, when it is not AWS itself: only the local AWS has the admin route. */
function localEndpoint(config: CliConfig): string {
  const endpoint = resolveEndpoint(config.endpoints, 's3');
  if (endpoint === undefined || /\.amazonaws\.com(\.cn)?$/i.test(new URL(endpoint).hostname)) {
    throw new CliUsageError(
      `inventory run needs the local AWS, but stage ${config.stage} uses ${endpoint ?? 'AWS itself'}: ` +
        'on AWS, S3 delivers inventory reports on their schedule (use --stage local or --endpoint <local AWS url>)',
    );
  }
  return endpoint;
}

async function runInventory(
  endpoint: string,
  bucket: string,
  configId: string,
): Promise<InventoryRunResponse> {
  const url = new URL(INVENTORY_RUN_PATH, endpoint);
  url.search = new URLSearchParams({ bucket, id: configId }).toString();
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST' });
  } catch (error) {
    throw new ServiceUnavailableError(`cannot reach the local AWS at ${endpoint}`, { cause: error });
  }
  const text = await response.text();
  let body: Partial<InventoryRunResponse> & { code?: string; message?: string };
  try {
    body = JSON.parse(text);
  } catch {
    throw new ServiceRequestRejectedError(
      `${endpoint} did not answer like the s3bo local AWS (HTTP ${response.status}): ${text.slice(0, 200)}`,
    );
  }
  if (!response.ok || typeof body.manifestKey !== 'string' || typeof body.destinationBucket !== 'string') {
    const reason = `inventory configuration ${JSON.stringify(configId)} of bucket ${JSON.stringify(bucket)}: ${body.code ?? `HTTP ${response.status}`}: ${body.message ?? text}`;
    // 501: the configuration asks for ORC or Parquet, which the local AWS does not write.
    throw response.status >= 500 && response.status !== 501
      ? new ServiceUnavailableError(reason)
      : new ServiceRequestRejectedError(reason);
  }
  return { manifestKey: body.manifestKey, destinationBucket: body.destinationBucket };
}
