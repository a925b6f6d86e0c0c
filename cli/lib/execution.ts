/** Starting the stage's batch-job state machine for a validated request. */
import { randomBytes } from 'node:crypto';
import type { StartedExecution } from '../../src/adapters/aws/index.js';
import { batchJobStateMachineArn, type CliContext } from '../context.js';
import { CliUsageError } from '../errors.js';

/**
 * Step Functions execution names: 1–80 characters, none of whitespace, `< > { } [ ] ? *`,
 * `" # % \ ^ | ~ ` $ & , ; : /` or control characters (StartExecution API reference, `name`).
 */
const forbiddenNameCharacters = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;
const hasControlCharacter = (name: string) =>
  [...name].some((c) => {
    const code = c.charCodeAt(0);
    return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
  });

export function checkExecutionName(name: string): string {
  if (
    name.length < 1 ||
    name.length > 80 ||
    forbiddenNameCharacters.test(name) ||
    hasControlCharacter(name)
  ) {
    throw new CliUsageError(
      `--name: 1-80 characters without whitespace or any of <>{}[]?*"#%\\^|~\`$&,;:/ (got ${JSON.stringify(name)})`,
    );
  }
  return name;
}

/** `s3bo-20261126T100000Z-1a2b3c`: sortable by start time, unique enough for a person's runs. */
export function generateExecutionName(
  now: Date,
  random: () => string = () => randomBytes(3).toString('hex'),
) {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `s3bo-${stamp}-${random()}`;
}

export interface StartBatchJobResult extends StartedExecution {
  stateMachineArn: string;
  name: string;
}

/** `input` is the request as the user wrote it: the workflow fills in its defaults itself. */
export async function startBatchJob(
  ctx: CliContext,
  input: object,
  name: string | undefined,
): Promise<StartBatchJobResult> {
  const executionName = name === undefined ? generateExecutionName(ctx.io.now()) : checkExecutionName(name);
  const stateMachineArn = batchJobStateMachineArn(ctx.config, ctx.accountId());
  const started = await ctx.workflow().startExecution(stateMachineArn, executionName, input);
  return { ...started, stateMachineArn, name: executionName };
}
