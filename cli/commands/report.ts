/** `s3bo report <jobId> [--bucket B] [--prefix P]`: summarise a job's completion report. */
import type { Command } from 'commander';
import { printJson, println } from '../io.js';
import { checkJobId } from '../lib/options.js';
import { renderSummaryTable } from '../lib/render.js';
import { fetchJobReport } from '../lib/report.js';
import type { CommandDeps } from '../program.js';

export function registerReportCommand(program: Command, deps: CommandDeps): void {
  program
    .command('report')
    .description("summarise a job's completion report (<prefix>/job-<id>/manifest.json and its result CSVs)")
    .argument('<jobId>', 'the job id')
    .option('--bucket <bucket>', "report bucket name or ARN (default: the job's report settings)")
    .option('--prefix <prefix>', "report prefix (default: the job's, or none with --bucket)")
    .action(async (jobId: string, flags: { bucket?: string; prefix?: string }, command: Command) => {
      const ctx = deps.context(command);
      const summary = await fetchJobReport(ctx, checkJobId(jobId), flags);
      if (ctx.config.json) printJson(deps.io.stdout, summary);
      else println(deps.io.stdout, renderSummaryTable(summary));
    });
}
