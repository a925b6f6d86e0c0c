/**
 * What a bench's child scripts share: each is bundled with esbuild and run under plain `node` (no tsx loader,
 * whose worker thread and compile cache would count in the child's time and memory), and reports its own
 * peak RSS.
 */
import { readFileSync } from 'node:fs';

/** Bundles `entry` (a bench script and what it imports) into `outfile` for plain `node`; resolves with `outfile`. */
export async function bundleForPlainNode(entry: string, outfile: string): Promise<string> {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    logLevel: 'error',
  });
  return outfile;
}

/**
 * This process's peak RSS in MiB. On Linux, `VmHWM` of /proc/self/status: getrusage's maxRSS survives execve,
 * so a child spawned by a 300 MiB bench starts with a maxRSS near 70–90 MiB that is not its own (seen here:
 * 92.8 MiB before it had opened the report, against 42 MiB for the same bundle run from a shell).
 */
export function peakRssMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match !== null) return Number(match[1]) / 1024;
  } catch {
    // Not Linux: fall back to getrusage.
  }
  return process.resourceUsage().maxRSS / 1024;
}
