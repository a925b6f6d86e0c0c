/**
 * `s3bo events [--bus name] [--data-dir .s3bo] [--detail-type X] [--limit N] [--follow [--timeout s]]`:
 * the local AWS's event log for a bus, as a table (or JSON); `--follow` keeps printing new events.
 */
import type { Command } from 'commander';
import { eventBusName } from '../../src/core/names.js';
import { defaultDataDir } from '../defaults.js';
import { printJson, println } from '../io.js';
import { eventLogPath, filterEvents, followEventLog, readEventLogFrom } from '../lib/event-log.js';
import { parseInteger, parseSeconds } from '../lib/options.js';
import { type EventEnvelopeView, eventRow, renderEventsTable } from '../lib/render.js';
import type { CommandDeps } from '../program.js';

interface EventsFlags {
  bus?: string;
  dataDir: string;
  detailType?: string;
  limit?: string;
  follow?: boolean;
  timeout?: string;
}

const followPollMs = 250;

export function registerEventsCommand(program: Command, deps: CommandDeps): void {
  program
    .command('events')
    .description("print the local AWS's event log of a bus (<data-dir>/events/<bus>.jsonl)")
    .option('--bus <name>', 'event bus (default: s3-batch-orchestrator-<stage>)')
    .option('--data-dir <dir>', 'data directory of `s3bo local`', defaultDataDir)
    .option('--detail-type <type>', 'only events of this detail-type, e.g. "Batch Job Completed"')
    .option('--limit <n>', 'only the last n events')
    .option('--follow', 'keep printing new events (Ctrl-C or --timeout ends it, exit 0)')
    .option('--timeout <seconds>', 'with --follow: stop after this long')
    .action(async (flags: EventsFlags, command: Command) => {
      const { io } = deps;
      const { config } = deps.context(command);
      const limit =
        flags.limit === undefined ? undefined : parseInteger('--limit', flags.limit, 1, 1_000_000);
      const timeoutSeconds =
        flags.timeout === undefined ? undefined : parseSeconds('--timeout', flags.timeout);
      const path = eventLogPath(flags.dataDir, flags.bus ?? eventBusName(config.stage));
      const filter = {
        ...(flags.detailType === undefined ? {} : { detailType: flags.detailType }),
        ...(limit === undefined ? {} : { limit }),
      };

      const chunk = await readEventLogFrom(path);
      if (chunk === undefined)
        println(io.stderr, `no event log at ${path} yet (is \`s3bo local\` using this --data-dir?)`);
      else if (chunk.malformed > 0)
        println(io.stderr, `skipped ${chunk.malformed} malformed line(s) in ${path}`);
      const events = filterEvents(chunk?.events ?? [], filter);

      if (!flags.follow) {
        if (config.json) printJson(io.stdout, events);
        else println(io.stdout, renderEventsTable(events));
        return;
      }
      // Following: one line per event, so new ones can be appended as they come.
      const print = (batch: EventEnvelopeView[]) => {
        for (const event of batch)
          println(io.stdout, config.json ? JSON.stringify(event) : eventRow(event).join('  '));
      };
      print(events);
      const stopAt = timeoutSeconds === undefined ? Infinity : io.now().getTime() + timeoutSeconds * 1000;
      await followEventLog(path, {
        offset: chunk?.offset ?? 0,
        ...(flags.detailType === undefined ? {} : { detailType: flags.detailType }),
        pollMs: followPollMs,
        sleep: io.sleep,
        shouldStop: () => io.now().getTime() >= stopAt,
        onEvents: print,
      });
    });
}
