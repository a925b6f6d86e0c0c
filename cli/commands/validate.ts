/** `s3bo validate <request.json>`: check a job request file; nothing is started. */
import type { Command } from 'commander';
import { printJson, println } from '../io.js';
import { readJobRequestFile } from '../lib/request-file.js';
import type { CommandDeps } from '../program.js';

export function registerValidateCommand(program: Command, deps: CommandDeps): void {
  program
    .command('validate')
    .description('validate a job request file against schemas/job-request.schema.json (exit 2 if invalid)')
    .argument('<request.json>', 'the job request')
    .action(async (file: string, _options: object, command: Command) => {
      const { request } = await readJobRequestFile(file);
      const { config } = deps.context(command);
      if (config.json) printJson(deps.io.stdout, { valid: true, request });
      else println(deps.io.stdout, `ok: ${file} is a valid job request`);
    });
}
