/**
 * Builds the stage's IAM roles as CloudFormation resources from the table (iam/functions.ts): one
 * least-privilege role per function, each allowed to write only its own log streams and traces on top of
 * its table entry; the batch-job state machine's role; and the S3 Batch Operations role, whose statements
 * the per-operation table builds at package time from the stage params (iam/batch-role.cjs).
 */

import { type FunctionKey, functionKeys, lambdaLogicalId, serviceName } from '../src/core/names.js';
import {
  batchJobTaskFunctions,
  campaignTaskFunctions,
  functionPermissions,
  restoreThenTaskFunctions,
} from './functions.js';
import { allow, getAttArn, type PolicyStatement, type ResourceValue, ref } from './policy.js';
import { logicalIds, resources, stageVariable } from './references.js';

export interface RoleResource {
  readonly Type: 'AWS::IAM::Role';
  readonly Properties: {
    readonly RoleName?: string;
    readonly AssumeRolePolicyDocument: PolicyDocument;
    readonly Policies: readonly { readonly PolicyName: string; readonly PolicyDocument: PolicyDocument }[];
  };
}

interface TrustStatement {
  readonly Effect: 'Allow';
  readonly Principal: { readonly Service: string };
  readonly Action: 'sts:AssumeRole';
  readonly Condition?: PolicyStatement['Condition'];
}

interface PolicyDocument {
  readonly Version: '2012-10-17';
  /** The statements, or a Serverless variable that osls resolves to them. */
  readonly Statement: readonly (PolicyStatement | TrustStatement)[] | string;
}

const document = (statement: PolicyDocument['Statement']): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: statement,
});

const trustedBy = (service: string, condition?: PolicyStatement['Condition']) =>
  document([
    {
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      ...(condition === undefined ? {} : { Condition: condition }),
    },
  ]);

/** `submit-job` -> `SubmitJobRole`: the `role:` each function names in serverless.yml. */
export const functionRoleLogicalId = (key: FunctionKey): string =>
  `${key.replace(/(^|-)([a-z])/g, (_match, _dash, letter: string) => letter.toUpperCase())}Role`;

/** X-Ray's write and sampling actions support no resource-level permissions. */
const writeTraces = allow(
  'WriteTraces',
  ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
  '*',
);

/** osls creates each function's log group, so its role only writes streams there (no CreateLogGroup). */
const writeOwnLogs = (key: FunctionKey) =>
  allow('WriteOwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents'], resources.logStreamsOf(key));

/** Every statement a function's role holds: its logs and traces, then its table entry. */
export const functionStatements = (key: FunctionKey): PolicyStatement[] => [
  writeOwnLogs(key),
  writeTraces,
  ...functionPermissions[key],
];

const functionRole = (key: FunctionKey): RoleResource => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: trustedBy('lambda.amazonaws.com'),
    Policies: [{ PolicyName: key, PolicyDocument: document(functionStatements(key)) }],
  },
});

/**
 * The role S3 Batch Operations assumes to run a job's tasks ("Granting permissions for Batch Operations"):
 * read manifests (allowed buckets, request-bucket CSVs, redrive manifests), write reports, and only what
 * the stage's batchOperations need, all confined to the stage's buckets. Its statements depend on stage
 * params, so osls builds them at package time from the per-operation table (iam/batch-operations.cjs via
 * iam/batch-role.cjs).
 *
 * Trust: confused-deputy protection ("The confused deputy problem", IAM User Guide): only S3 Batch
 * Operations jobs of this account and region may assume the role. The S3 guide's Batch Operations trust
 * policy shows no condition; the job ARN format is the Service Authorization Reference's `job` resource type.
 */
const batchOperationsRole: RoleResource = {
  Type: 'AWS::IAM::Role',
  Properties: {
    RoleName: `${serviceName}-${stageVariable}-batch-operations`,
    AssumeRolePolicyDocument: trustedBy('batchoperations.s3.amazonaws.com', {
      StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') },
      ArnLike: { 'aws:SourceArn': resources.jobs },
    }),
    Policies: [
      {
        PolicyName: 'batch-operations',
        PolicyDocument: document(`\${file(./iam/batch-role.cjs):statements}`),
      },
    ],
  },
};

/**
 * A state machine's execution logs: the vended-log actions support no resource-level permissions ("Logging
 * Step Functions execution history using CloudWatch Logs", IAM policies for logging).
 */
const deliverExecutionLogs = allow(
  'DeliverExecutionLogs',
  [
    'logs:CreateLogDelivery',
    'logs:GetLogDelivery',
    'logs:UpdateLogDelivery',
    'logs:DeleteLogDelivery',
    'logs:ListLogDeliveries',
    'logs:PutResourcePolicy',
    'logs:DescribeResourcePolicies',
    'logs:DescribeLogGroups',
  ],
  '*',
);

/**
 * A state machine's role: it invokes its task functions, delivers its execution logs and writes traces; a
 * machine that runs child executions with startExecution.sync:2 also needs StartExecution on the child
 * machines, DescribeExecution and StopExecution on their executions (Step Functions follows them, and stops
 * them when the parent stops), and the managed rule Step Functions uses to learn that a child ended ("IAM
 * policies for starting a new AWS Step Functions state machine execution", synchronous pattern).
 */
function stateMachineRole(
  policyName: string,
  taskFunctions: readonly FunctionKey[],
  children?: { machines: ResourceValue[]; executions: ResourceValue[] },
): RoleResource {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: trustedBy('states.amazonaws.com', {
        StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') },
      }),
      Policies: [
        {
          PolicyName: policyName,
          PolicyDocument: document([
            allow(
              'InvokeTaskFunctions',
              ['lambda:InvokeFunction'],
              taskFunctions.map((key) => getAttArn(lambdaLogicalId(key))),
            ),
            ...(children
              ? [
                  allow('StartChildExecutions', ['states:StartExecution'], children.machines),
                  allow(
                    'FollowChildExecutions',
                    ['states:DescribeExecution', 'states:StopExecution'],
                    children.executions,
                  ),
                  allow(
                    'ManageSyncCompletionRule',
                    ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
                    resources.stepFunctionsSyncRule,
                  ),
                ]
              : []),
            deliverExecutionLogs,
            writeTraces,
          ]),
        },
      ],
    },
  };
}

/** The batch-job machine: its task functions only. */
const batchJobStateMachineRole = stateMachineRole('batch-job-state-machine', batchJobTaskFunctions);

/** The campaign machine runs each target on the batch-job or the restore-then machine. */
const campaignStateMachineRole = stateMachineRole('campaign-state-machine', campaignTaskFunctions, {
  machines: [resources.batchJobStateMachine, resources.restoreThenStateMachine],
  executions: [resources.batchJobExecutions, resources.restoreThenExecutions],
});

/** The restore-then machine (a restore campaign's target) runs its restore and phase-2 jobs on batch-job. */
const restoreThenStateMachineRole = stateMachineRole('restore-then-state-machine', restoreThenTaskFunctions, {
  machines: [resources.batchJobStateMachine],
  executions: [resources.batchJobExecutions],
});

/**
 * The role EventBridge Scheduler assumes to start the campaign machine for each enabled campaign's schedule,
 * and to dead-letter an invocation that still failed after its retries ("Configuring a schedule's
 * dead-letter queue": the execution role sends). Trusted only by schedules of this stage's schedule group
 * in this account (confused-deputy protection, "Set up the execution role").
 */
const campaignSchedulerRole: RoleResource = {
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: trustedBy('scheduler.amazonaws.com', {
      StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') },
      ArnEquals: { 'aws:SourceArn': resources.campaignScheduleGroup },
    }),
    Policies: [
      {
        PolicyName: 'campaign-scheduler',
        PolicyDocument: document([
          allow('StartCampaignRuns', ['states:StartExecution'], resources.campaignStateMachine),
          allow('DeadLetterFailedInvocations', ['sqs:SendMessage'], resources.triggerDeadLetterQueue),
        ]),
      },
    ],
  },
};

/** Every role of the stage by logical id: what iam/roles.generated.yml holds under `Resources`. */
export function buildRoles(): Record<string, RoleResource> {
  return {
    [logicalIds.batchOperationsRole]: batchOperationsRole,
    [logicalIds.batchJobStateMachineRole]: batchJobStateMachineRole,
    [logicalIds.campaignStateMachineRole]: campaignStateMachineRole,
    [logicalIds.campaignSchedulerRole]: campaignSchedulerRole,
    [logicalIds.restoreThenStateMachineRole]: restoreThenStateMachineRole,
    ...Object.fromEntries(functionKeys.map((key) => [functionRoleLogicalId(key), functionRole(key)])),
  };
}
