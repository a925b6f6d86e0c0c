/**
 * `s3bo local` fault flags: the common faults without writing a file. They are layered over `--faults FILE`
 * (a flag wins for the same `service:Operation`), then validated like the file (emulator/faults.ts).
 */
import { type FaultConfig, loadFaultConfig, validateFaultConfig } from '../../emulator/index.js';
import { CliUsageError } from '../errors.js';

export interface FaultFlags {
  faults?: string;
  throttle?: string[];
  serverError?: string[];
  latencyMs?: string;
  putEventsFailureRate?: string;
}

/** `s3control:CreateJob=0.2` → ['s3control:CreateJob', 0.2] */
function parseRate(flag: string, text: string): [string, number] {
  const match = /^([a-z0-9-]+:(?:\*|[A-Za-z0-9]+))=(\d*\.?\d+)$/.exec(text);
  if (!match)
    throw new CliUsageError(
      `${flag}: expected service:Operation=rate (e.g. s3control:CreateJob=0.2), got "${text}"`,
    );
  return [match[1]!, Number(match[2])];
}

export function faultConfigFromFlags(flags: FaultFlags): FaultConfig | undefined {
  const base: FaultConfig = flags.faults ? loadFaultConfig(flags.faults) : {};
  const merged: FaultConfig = { ...base };
  if (flags.throttle?.length) {
    merged.throttle = {
      ...base.throttle,
      ...Object.fromEntries(flags.throttle.map((t) => parseRate('--throttle', t))),
    };
  }
  if (flags.serverError?.length) {
    merged.serverError = {
      ...base.serverError,
      ...Object.fromEntries(flags.serverError.map((t) => parseRate('--server-error', t))),
    };
  }
  if (flags.latencyMs !== undefined) merged.latencyMs = Number(flags.latencyMs);
  if (flags.putEventsFailureRate !== undefined)
    merged.putEventsFailureRate = Number(flags.putEventsFailureRate);
  if (Object.keys(merged).length === 0) return undefined;
  try {
    return validateFaultConfig(merged);
  } catch (error) {
    throw new CliUsageError((error as Error).message, { cause: error });
  }
}

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
