/** The `s3bo` entry point (bin/s3bo.mjs, `npm run demo`). Exit codes: cli/exit-codes.ts, cli/README.md. */
import { processIo } from './io.js';
import { runCli } from './main.js';

process.exitCode = await runCli(process.argv.slice(2), { io: processIo() });
