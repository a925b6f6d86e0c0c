/**
 * `s3bo campaign list | validate | run | status`: the campaigns in campaigns/ (what the stages schedule),
 * checking one, running one now and following every target on one screen, and a campaign's recent runs.
 */
import type { Command } from 'commander';
import { RequestValidationError } from '../../src/core/errors.js';
import { type CliContext, stateMachineArnOf } from '../context.js';
import { RunUnsuccessfulError } from '../errors.js';
import { printJson, println } from '../io.js';
import {
  type CampaignFile,
  campaignPath,
  listCampaignFiles,
  projectCampaignsDir,
  readCampaignFile,
} from '../lib/campaign-file.js';
import { createCampaignProgressPrinter, renderCampaignResult } from '../lib/campaign-render.js';
import { campaignRunEnding, parseScheduledTime, startCampaignRun } from '../lib/campaign-run.js';
import { watchCampaign } from '../lib/campaign-watch.js';
import { defaultIntervalSeconds } from '../lib/follow-execution.js';
import { parseInteger, parseSeconds } from '../lib/options.js';
import { renderTable } from '../lib/table.js';
import type { CommandDeps } from '../program.js';

interface DirFlags {
  dir: string;
}

const dirOption = ['--dir <dir>', 'folder of campaign files', projectCampaignsDir] as const;

export function registerCampaignCommand(program: Command, deps: CommandDeps): void {
  const campaign = program
    .command('campaign')
    .description('scheduled campaigns (campaigns/*.json): list, validate, run now, recent runs');

  campaign
    .command('list')
    .description('the campaign files, their schedules and targets (an invalid file is listed with its error)')
    .option(...dirOption)
    .action(async (flags: DirFlags, command: Command) => {
      const ctx = deps.context(command);
      const rows = await Promise.all((await listCampaignFiles(flags.dir)).map(describeCampaignFile));
      if (ctx.config.json) return printJson(deps.io.stdout, rows);
      println(
        deps.io.stdout,
        renderTable(
          ['campaign', 'schedule', 'state', 'targets', 'concurrency', 'budget'],
          rows.map((row) =>
            'error' in row
              ? [row.file, `invalid: ${row.error}`, '', '', '', '']
              : [
                  row.name,
                  `${row.schedule} ${row.timezone}`,
                  row.enabled ? 'ENABLED' : 'DISABLED',
                  row.targets.map((target) => `${target.name} (${target.kind})`).join(', '),
                  String(row.concurrency),
                  row.budgetUsd === undefined ? '-' : `$${row.budgetUsd}`,
                ],
          ),
          { maxCellWidth: 80 },
        ),
      );
    });

  campaign
    .command('validate')
    .description('validate a campaign file and every target request it builds (exit 2 if invalid)')
    .argument('<name|file>', 'a campaign name (campaigns/<name>.json) or a file')
    .option(...dirOption)
    .action(async (nameOrFile: string, flags: DirFlags, command: Command) => {
      const ctx = deps.context(command);
      const file = await readCampaignFile(campaignPath(nameOrFile, flags.dir));
      if (ctx.config.json) {
        return printJson(deps.io.stdout, {
          valid: true,
          campaign: file.campaign,
          targets: file.targets.map(({ name, kind, parsed }) => ({ name, kind, request: parsed })),
        });
      }
      const targets = file.targets.map((target) => `${target.name} (${target.kind})`).join(', ');
      println(
        deps.io.stdout,
        `ok: ${file.path} is a valid campaign: ${file.campaign.name}, targets ${targets}`,
      );
    });

  campaign
    .command('run')
    .description(
      'run a campaign now, outside its schedule, and follow every target until the run ends (exit 1 if it failed)',
    )
    .argument('<name|file>', 'a campaign name (campaigns/<name>.json) or a file')
    .option(...dirOption)
    .option(
      '--scheduled-time <iso>',
      'the scheduled time this run is for (default now); one run per campaign and minute',
    )
    .option('--timeout <seconds>', 'stop following after this long (exit 4; the run goes on)')
    .option('--interval <seconds>', 'seconds between polls', defaultIntervalSeconds)
    .action(
      async (
        nameOrFile: string,
        flags: DirFlags & { scheduledTime?: string; timeout?: string; interval: string },
        command: Command,
      ) => {
        const ctx = deps.context(command);
        const file = await readCampaignFile(campaignPath(nameOrFile, flags.dir));
        const timeoutSeconds =
          flags.timeout === undefined ? undefined : parseSeconds('--timeout', flags.timeout);
        const intervalSeconds = parseSeconds('--interval', flags.interval);
        const scheduledTime = parseScheduledTime(flags.scheduledTime, ctx.io.now());
        await runCampaign(ctx, file, scheduledTime, { intervalSeconds, timeoutSeconds });
      },
    );

  campaign
    .command('status')
    .description("a campaign's recent runs: scheduled or manual, how each ended")
    .argument('<name>', 'the campaign name')
    .option('--limit <n>', 'runs shown at most', '10')
    .option('--scan <n>', 'campaign executions looked at, newest first', '200')
    .action(async (name: string, flags: { limit: string; scan: string }, command: Command) => {
      const ctx = deps.context(command);
      const limit = parseInteger('--limit', flags.limit, 1, 1000);
      const scan = parseInteger('--scan', flags.scan, 1, 10_000);
      const runs = await recentRuns(ctx, name, { limit, scan });
      if (ctx.config.json) return printJson(deps.io.stdout, runs);
      if (runs.length === 0)
        return println(deps.io.stdout, `no runs of ${name} among the last ${scan} executions`);
      println(
        deps.io.stdout,
        renderTable(
          ['run', 'trigger', 'status', 'outcome', 'started', 'stopped'],
          runs.map((run) => [
            run.runId ?? run.name,
            run.trigger ?? '-',
            run.status,
            run.outcome ?? '-',
            run.startDate,
            run.stopDate ?? '-',
          ]),
        ),
      );
    });
}

type CampaignListRow =
  | {
      name: string;
      file: string;
      schedule: string;
      timezone: string;
      enabled: boolean;
      concurrency: number;
      budgetUsd?: number;
      targets: { name: string; kind: string }[];
    }
  | { file: string; error: string };

async function describeCampaignFile(path: string): Promise<CampaignListRow> {
  try {
    const { campaign, targets } = await readCampaignFile(path);
    return {
      name: campaign.name,
      file: path,
      schedule: campaign.schedule.expression,
      timezone: campaign.schedule.timezone,
      enabled: campaign.schedule.enabled,
      concurrency: campaign.concurrency,
      ...(campaign.budget ? { budgetUsd: campaign.budget.maxUsd } : {}),
      targets: targets.map(({ name, kind }) => ({ name, kind })),
    };
  } catch (error) {
    const message =
      error instanceof RequestValidationError ? `${error.field}: ${error.reason}` : (error as Error).message;
    return { file: path, error: message };
  }
}

async function runCampaign(
  ctx: CliContext,
  file: CampaignFile,
  scheduledTime: Date,
  options: { intervalSeconds: number; timeoutSeconds: number | undefined },
): Promise<void> {
  const started = await startCampaignRun(ctx, file, scheduledTime);
  println(
    ctx.io.stderr,
    `started ${started.executionArn} (run ${started.runId})${started.alreadyExisted ? ' (already existed)' : ''}`,
  );
  const printer = createCampaignProgressPrinter(ctx.io, !ctx.config.json);
  let watched: Awaited<ReturnType<typeof watchCampaign>>;
  try {
    watched = await watchCampaign(
      ctx,
      { executionArn: started.executionArn, runId: started.runId, targets: file.targets },
      {
        intervalSeconds: options.intervalSeconds,
        ...(options.timeoutSeconds === undefined ? {} : { timeoutSeconds: options.timeoutSeconds }),
        onProgress: (targets) => printer.update(targets),
      },
    );
  } finally {
    printer.done();
  }
  const { execution } = watched;
  const ending = await campaignRunEnding(ctx, execution);
  if (ctx.config.json) {
    printJson(ctx.io.stdout, {
      executionArn: execution.executionArn,
      status: execution.status,
      runId: started.runId,
      ...(ending.kind === 'completed' ? { outcome: ending.result.outcome, result: ending.result } : {}),
      ...(ending.kind === 'duplicate' ? { duplicate: true, claimedBy: ending.claimedBy ?? null } : {}),
      ...(execution.error ? { error: execution.error, cause: execution.cause ?? null } : {}),
    });
  } else if (ending.kind === 'completed') {
    println(ctx.io.stdout, renderCampaignResult(ending.result, execution.executionArn));
  } else if (ending.kind === 'duplicate') {
    println(
      ctx.io.stdout,
      `run ${ending.runId} was already claimed${ending.claimedBy ? ` by ${ending.claimedBy}` : ''}: this execution started nothing`,
    );
  } else {
    println(ctx.io.stdout, `${execution.executionArn} ended ${execution.status} ${execution.error ?? ''}`);
  }
  const failed =
    ending.kind === 'completed' ? ending.result.outcome === 'Failed' : execution.status !== 'SUCCEEDED';
  if (failed) throw new RunUnsuccessfulError(`campaign run ${started.runId} ended ${execution.status}`);
}

interface CampaignRunRow {
  name: string;
  executionArn: string;
  status: string;
  startDate: string;
  stopDate?: string;
  runId?: string;
  trigger?: string;
  scheduledTime?: string;
  outcome?: string;
}

/**
 * Runs of one campaign, newest first: the campaign machine's executions whose input names it. Scheduled runs
 * have names the Scheduler chose, so the input (DescribeExecution) tells which campaign each one ran.
 */
async function recentRuns(
  ctx: CliContext,
  campaign: string,
  options: { limit: number; scan: number },
): Promise<CampaignRunRow[]> {
  const workflow = ctx.workflow();
  const machine = stateMachineArnOf(ctx.config, ctx.accountId(), 'campaign');
  const rows: CampaignRunRow[] = [];
  for (const item of await workflow.listExecutions(machine, { maxResults: options.scan })) {
    if (rows.length >= options.limit) break;
    const execution = await workflow.describeExecution(item.executionArn);
    const input = safeJson(execution.input) as
      | { campaign?: { name?: unknown }; trigger?: unknown; scheduledTime?: unknown }
      | undefined;
    if (input?.campaign?.name !== campaign) continue;
    const ending = execution.status === 'RUNNING' ? undefined : await campaignRunEnding(ctx, execution);
    rows.push({
      name: item.name,
      executionArn: item.executionArn,
      status: item.status,
      startDate: item.startDate,
      ...(item.stopDate ? { stopDate: item.stopDate } : {}),
      ...(typeof input.trigger === 'string' ? { trigger: input.trigger } : {}),
      ...(typeof input.scheduledTime === 'string' ? { scheduledTime: input.scheduledTime } : {}),
      ...(ending?.kind === 'completed'
        ? { runId: ending.result.runId, outcome: ending.result.outcome }
        : ending?.kind === 'duplicate'
          ? { runId: ending.runId, outcome: 'Duplicate' }
          : {}),
    });
  }
  return rows;
}

function safeJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
