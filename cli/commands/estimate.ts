/** `s3bo estimate <request.json>`: what the job would cost, line by line; nothing is started. */
import type { Command } from 'commander';
import { maxGeneratorListedObjects } from '../../src/core/cost/count-generated-objects.js';
import { countSourceObjects, type ObjectCountSource } from '../../src/core/cost/count-objects.js';
import { type CostEstimate, estimateJobCost } from '../../src/core/cost/estimate.js';
import { resolveManifestSource } from '../../src/core/manifest-source/resolve-manifest-source.js';
import { systemClock } from '../../src/core/ports.js';
import type { JobRequestWithDefaults } from '../../src/generated/types.js';
import { CliUsageError } from '../errors.js';
import { printJson, println } from '../io.js';
import { readJobRequestFile } from '../lib/request-file.js';
import { renderTable } from '../lib/table.js';
import type { CommandDeps } from '../program.js';

export function registerEstimateCommand(program: Command, deps: CommandDeps): void {
  program
    .command('estimate')
    .description(
      "estimate a job request's cost from its objects, counted on the endpoint (CSV rows, inventory rows, or a listing of the generator's source bucket), and the price table",
    )
    .argument('<request.json>', 'the job request')
    .action(async (file: string, _options: object, command: Command) => {
      const { request } = await readJobRequestFile(file);
      const context = deps.context(command);
      const objects = context.objectStore();
      // As SubmitJob would now: the newest inventory report, relative filter ages counted back from now.
      const now = systemClock.now();
      // readJobRequestFile returns the request with its defaults filled in (its doc), typed as written.
      const filled = request as JobRequestWithDefaults;
      const source = await resolveManifestSource(objects, filled, { now, submitTime: now });
      const count = await countSourceObjects(objects, source);
      if (count === undefined) {
        throw new CliUsageError(
          `no estimate: the generator's source bucket lists more than ${maxGeneratorListedObjects.toLocaleString('en-US')} objects, too many to count before the job is created`,
        );
      }
      const estimate = estimateJobCost({
        operation: request.operation as Record<string, unknown>,
        ...count,
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

const countedFrom: Record<ObjectCountSource, string> = {
  csvRows: "counted from the CSV manifest's rows",
  inventoryRows: "counted from the inventory report's rows",
  generatorListing: "counted by listing the generator's source bucket",
};

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
  const counted = estimate.objectCountSource ? `, ${countedFrom[estimate.objectCountSource]}` : '';
  const objects = `${estimate.objectCountIsUpperBound ? 'at most ' : ''}${estimate.objectCount} objects`;
  const lines = [`${objects}${counted}, prices for ${estimate.region}`, table];
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
