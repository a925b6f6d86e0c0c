/** `s3bo estimate <request.json>`: what the job would cost, line by line; nothing is started. */
import type { Command } from 'commander';
import { countManifestRows } from '../../src/core/cost/count-manifest-rows.js';
import { type CostEstimate, estimateJobCost } from '../../src/core/cost/estimate.js';
import { CliUsageError } from '../errors.js';
import { printJson, println } from '../io.js';
import { readJobRequestFile } from '../lib/request-file.js';
import { renderTable } from '../lib/table.js';
import type { CommandDeps } from '../program.js';

export function registerEstimateCommand(program: Command, deps: CommandDeps): void {
  program
    .command('estimate')
    .description(
      "estimate a job request's cost from its CSV manifest's rows (read from the endpoint) and the price table",
    )
    .argument('<request.json>', 'the job request')
    .action(async (file: string, _options: object, command: Command) => {
      const { request } = await readJobRequestFile(file);
      const context = deps.context(command);
      if (request.manifest.format === 'S3InventoryReport_CSV_20161130') {
        throw new CliUsageError('estimate needs a CSV manifest: inventory manifests are not counted');
      }
      const objectCount = await countManifestRows(context.objectStore(), request.manifest);
      const estimate = estimateJobCost({
        operation: request.operation as Record<string, unknown>,
        objectCount,
        region: context.config.region,
      });
      const maxUsd = request.budget?.maxUsd;
      if (context.config.json) {
        printJson(deps.io.stdout, {
          ...estimate,
          ...(maxUsd === undefined ? {} : { budget: { maxUsd, withinBudget: estimate.totalUsd <= maxUsd } }),
        });
        return;
      }
      println(deps.io.stdout, renderEstimate(estimate, maxUsd));
    });
}

const usd = (value: number): string => `$${Number(value.toFixed(6))}`;

function renderEstimate(estimate: CostEstimate, maxUsd: number | undefined): string {
  const table = renderTable(
    ['ITEM', 'QUANTITY', 'PRICE', 'USD'],
    [
      ...estimate.lines.map((line) => [
        line.item,
        `${Number(line.quantity.toFixed(3))} ${line.unit}`,
        `${usd(line.unitPriceUsd)} / ${line.per}`,
        usd(line.usd),
      ]),
      ['Total', '', '', usd(estimate.totalUsd)],
    ],
  );
  const lines = [`${estimate.objectCount} objects, prices for ${estimate.region}`, table];
  if (maxUsd !== undefined) {
    lines.push(
      estimate.totalUsd <= maxUsd
        ? `within budget (maxUsd ${usd(maxUsd)})`
        : `over budget (maxUsd ${usd(maxUsd)}): the workflow would reject this request`,
    );
  }
  for (const note of estimate.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}
