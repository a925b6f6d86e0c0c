import { invalidArn, invalidName } from './errors.js';

/**
 * Names of state machines and executions (CreateStateMachine / StartExecution, "name" parameter):
 * 1–80 characters, no white space, brackets, wildcards, `" # % \ ^ | ~ ` $ & , ; : /` or control characters.
 */
const FORBIDDEN_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/u;

const isControl = (char: string) => {
  const code = char.codePointAt(0)!;
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
};

export function assertValidName(name: string): void {
  if (name.length < 1 || name.length > 80 || FORBIDDEN_NAME.test(name) || [...name].some(isControl)) {
    throw invalidName(name);
  }
}

export interface ArnScope {
  region: string;
  accountId: string;
}

export const stateMachineArn = (scope: ArnScope, name: string): string =>
  `arn:aws:states:${scope.region}:${scope.accountId}:stateMachine:${name}`;

export const executionArn = (scope: ArnScope, stateMachineName: string, name: string): string =>
  `arn:aws:states:${scope.region}:${scope.accountId}:execution:${stateMachineName}:${name}`;

/** `arn:aws:states:<region>:<account>:stateMachine:<name>` → the name; InvalidArn when malformed. */
export function parseStateMachineArn(arn: string): { region: string; accountId: string; name: string } {
  const parts = arn.split(':');
  if (parts.length !== 7 || parts[0] !== 'arn' || parts[2] !== 'states' || parts[5] !== 'stateMachine') {
    throw invalidArn(arn, 'Resource type not valid in this context');
  }
  return { region: parts[3]!, accountId: parts[4]!, name: parts[6]! };
}

/** `arn:aws:states:<region>:<account>:execution:<stateMachine>:<name>`; InvalidArn when malformed. */
export function parseExecutionArn(arn: string): {
  region: string;
  accountId: string;
  stateMachineName: string;
  name: string;
} {
  const parts = arn.split(':');
  if (parts.length !== 8 || parts[0] !== 'arn' || parts[2] !== 'states' || parts[5] !== 'execution') {
    throw invalidArn(arn, 'Resource type not valid in this context');
  }
  return { region: parts[3]!, accountId: parts[4]!, stateMachineName: parts[6]!, name: parts[7]! };
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;

export function assertValidRoleArn(roleArn: string): void {
  if (!ROLE_ARN.test(roleArn)) throw invalidArn(roleArn, 'Invalid role ARN');
}
