/**
 * Runs the program and turns its outcome into an exit code: the only place that does (STYLE.md rule 5).
 * Errors are printed as one message plus hints; a stack trace only with S3BO_DEBUG=1.
 */
import { CommanderError } from 'commander';
import { type GlobalOptions, resolveConfig } from './context.js';
import { cliEnvVars } from './defaults.js';
import { describeError, type ExitCode, exitCodeFor, exitCodes } from './exit-codes.js';
import { type CliIo, println } from './io.js';
import { buildProgram, type ProgramOptions } from './program.js';

/** @param argv the user's arguments, without `node` and the script */
export async function runCli(argv: string[], options: ProgramOptions): Promise<ExitCode> {
  const program = buildProgram(options);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCodes.ok;
  } catch (error) {
    const code = exitCodeFor(error);
    // Commander already printed its own message (or the help) through configureOutput.
    if (!(error instanceof CommanderError)) {
      const endpoint = endpointFor(program.opts<GlobalOptions>(), options.io);
      const debug = options.io.env[cliEnvVars.debug] === '1';
      for (const line of describeError(error, { endpoint, debug })) println(options.io.stderr, line);
    }
    return code;
  }
}

/** The endpoint, for hints; undefined when the options themselves were the problem. */
function endpointFor(globals: GlobalOptions, io: CliIo): string | undefined {
  try {
    return resolveConfig(globals, io.env).endpoint;
  } catch {
    return undefined;
  }
}
