/** IAM policy statements of a compiled CloudFormation template, for contract tests. */

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  [key: string]: unknown;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Conditions?: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface IamStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export interface LocatedStatement {
  /** Logical id of the resource and where in it, e.g. `SubmitJobRole Policies[0]`. */
  where: string;
  statement: IamStatement;
}

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** `Fn::If` yields either branch depending on a condition: both must be safe, so both are returned. */
function unfoldConditionals(value: unknown): unknown[] {
  if (value !== null && typeof value === 'object' && 'Fn::If' in value) {
    const [, whenTrue, whenFalse] = (value as { 'Fn::If': [string, unknown, unknown] })['Fn::If'];
    return [...unfoldConditionals(whenTrue), ...unfoldConditionals(whenFalse)];
  }
  if (value !== null && typeof value === 'object' && 'Ref' in value && value.Ref === 'AWS::NoValue')
    return [];
  return [value];
}

function statementsOf(document: unknown): IamStatement[] {
  return unfoldConditionals(document).flatMap((doc) =>
    asArray((doc as { Statement?: unknown } | undefined)?.Statement)
      .flatMap(unfoldConditionals)
      .map((statement) => statement as IamStatement),
  );
}

export const iamResourceTypes = ['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'] as const;

/** Every statement of every IAM role (trust and inline policies), policy and managed policy. */
export function iamStatements(template: CfnTemplate): LocatedStatement[] {
  return Object.entries(template.Resources).flatMap(([logicalId, resource]) => {
    const properties = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::IAM::Role':
        return [
          ...statementsOf(properties.AssumeRolePolicyDocument).map((statement) => ({
            where: `${logicalId} AssumeRolePolicyDocument`,
            statement,
          })),
          ...asArray(properties.Policies as { PolicyDocument: unknown }[] | undefined).flatMap((policy, i) =>
            statementsOf(policy.PolicyDocument).map((statement) => ({
              where: `${logicalId} Policies[${i}]`,
              statement,
            })),
          ),
        ];
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        return statementsOf(properties.PolicyDocument).map((statement) => ({ where: logicalId, statement }));
      default:
        return [];
    }
  });
}

export const actionsOf = (statement: IamStatement): string[] => asArray(statement.Action);
export const resourcesOf = (statement: IamStatement): unknown[] => asArray(statement.Resource);

/** The statements of one role's inline policies (not its trust policy). */
export const policyStatementsOf = (template: CfnTemplate, roleId: string): IamStatement[] =>
  iamStatements(template)
    .filter(({ where }) => where.startsWith(`${roleId} Policies[`))
    .map(({ statement }) => statement);

/** The trust policy statements of one role. */
export const trustStatementsOf = (template: CfnTemplate, roleId: string): IamStatement[] =>
  iamStatements(template)
    .filter(({ where }) => where === `${roleId} AssumeRolePolicyDocument`)
    .map(({ statement }) => statement);
