/**
 * The vocabulary of the IAM table (iam/functions.ts): policy statements as data, and the CloudFormation
 * intrinsics and Serverless variables their resources and conditions use. Values stay unresolved here:
 * osls resolves `${sls:stage}` / `${param:…}` / `${file(…)}` at package time, CloudFormation the intrinsics
 * at deploy time, exactly as if they had been written in serverless.yml.
 */

export interface Sub {
  readonly 'Fn::Sub': string;
}
export interface GetAtt {
  readonly 'Fn::GetAtt': readonly [string, string];
}
export interface Ref {
  readonly Ref: string;
}

/**
 * A statement's resource: an ARN template, an attribute of a stack resource, or a Serverless variable that
 * osls replaces by a list of ARNs (e.g. `${file(./iam/batch-role.cjs):allowedObjectArns}`).
 */
export type ResourceValue = Sub | GetAtt | string;

/** Condition operator -> key -> value (a Serverless variable may stand for a list or a number). */
export type Conditions = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: ResourceValue | readonly ResourceValue[];
  readonly Condition?: Conditions;
}

export const sub = (template: string): Sub => ({ 'Fn::Sub': template });
export const getAttArn = (logicalId: string): GetAtt => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
export const ref = (name: string): Ref => ({ Ref: name });

/** An Allow statement; `Sid`s name the grant's purpose and are unique within a role. */
export const allow = (
  sid: string,
  actions: readonly string[],
  resource: PolicyStatement['Resource'],
  condition?: Conditions,
): PolicyStatement => ({
  Sid: sid,
  Effect: 'Allow',
  Action: actions,
  Resource: resource,
  ...(condition === undefined ? {} : { Condition: condition }),
});
