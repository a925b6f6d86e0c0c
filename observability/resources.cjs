/**
 * The stage's alarms, their SNS topic and its key, and a CloudWatch dashboard for jobs and campaigns, as
 * CloudFormation resources. serverless.yml includes it as `${file(./observability/resources.cjs):resources}`
 * (osls calls `resources` at package time, as for campaigns/schedules.cjs): one alarm per function and per
 * state machine, which YAML cannot loop over. CommonJS because osls require()s the file and the package is ESM.
 *
 * Alarms (each `s3-batch-orchestrator-<stage>-…`, one datapoint of 5 minutes, missing data = OK):
 * - every state machine: ExecutionsFailed ≥ 1, ExecutionsTimedOut ≥ 1 (AWS/States, StateMachineArn);
 * - every function: Errors ≥ 1, Throttles ≥ 1 (AWS/Lambda, FunctionName);
 * - PutEvents failures: the orchestrator's own `EventsFailedToPut` (entries still refused after the delivery
 *   loop's resends, src/runtime/metrics.ts), dimensions `service` and `stage`;
 * - every dead-letter queue holding a message (AWS/SQS ApproximateNumberOfMessagesVisible, Maximum ≥ 1).
 *
 * They notify the topic named by `params.<stage>.alarmTopicName`, which the stack creates, encrypted with a
 * key of its own: CloudWatch cannot publish to a topic encrypted with the AWS managed SNS key (SNS Developer
 * Guide, "Enable compatibility between event sources from AWS services and encrypted topics"), so the key
 * policy lets the CloudWatch service principal use this key, only for this account's alarms of this stage.
 */
const { pascalOf } = require('../packaging/named-json-file.cjs');

const serviceName = 's3-batch-orchestrator';
const period = 300;

/** Logical ids serverless-step-functions gives the machines (serverless.yml `stepFunctions.stateMachines.*.id`). */
const stateMachines = [
  { key: 'batch-job', logicalId: 'BatchJobStateMachine' },
  { key: 'campaign', logicalId: 'CampaignStateMachine' },
  { key: 'restore-then', logicalId: 'RestoreThenStateMachine' },
];

/** osls' logical id of a function: `submit-job` -> `SubmitDashjobLambdaFunction` (its normalizeName). */
const functionLogicalId = (key) => {
  const normalized = key.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${normalized[0].toUpperCase()}${normalized.slice(1)}LambdaFunction`;
};

/** The stack's dead-letter queues: the trigger DLQ every trigger rule and function shares, one per trigger. */
const deadLetterQueues = (triggers) => [
  { logicalId: 'TriggerDeadLetterQueue', what: 'trigger-dlq' },
  ...triggers.map((name) => ({
    logicalId: `TriggerDeadLetterQueue${pascalOf(name)}`,
    what: `trigger-${name}-dlq`,
  })),
];

const alarmName = (stage, what) => `${serviceName}-${stage}-${what}`;
const alarmArnPattern = (stage) => ({
  'Fn::Sub': `arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:\${AWS::AccountId}:alarm:${serviceName}-${stage}-*`,
});

class ObservabilityConfigError extends Error {
  constructor(stage, problem) {
    super(`serverless.yml params (stage ${stage}): ${problem}`);
    this.name = 'ObservabilityConfigError';
  }
}

function alarm(stage, topicId, { what, description, namespace, metricName, dimensions, statistic = 'Sum' }) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: alarmName(stage, what),
      AlarmDescription: description,
      Namespace: namespace,
      MetricName: metricName,
      Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
      Statistic: statistic,
      Period: period,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      // No datapoint means nothing failed (these metrics are only published when something happens).
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topicId }],
      OKActions: [{ Ref: topicId }],
    },
  };
}

/**
 * Every alarm of the stage, keyed by logical id. `functions` are serverless.yml's function keys,
 * `triggers` the stage's trigger names, `metricsNamespace` the EMF namespace (empty: no EMF alarm).
 */
function buildAlarms({ stage, functions, triggers, metricsNamespace }, topicId = 'AlarmTopic') {
  const alarms = {};
  for (const { key, logicalId } of stateMachines) {
    const dimensions = { StateMachineArn: { Ref: logicalId } };
    for (const [metricName, what] of [
      ['ExecutionsFailed', 'failed'],
      ['ExecutionsTimedOut', 'timed-out'],
    ]) {
      alarms[`${logicalId}${metricName}Alarm`] = alarm(stage, topicId, {
        what: `${key}-executions-${what}`,
        description: `An execution of the ${key} state machine ${what.replace('-', ' ')} (${metricName}).`,
        namespace: 'AWS/States',
        metricName,
        dimensions,
      });
    }
  }
  for (const key of functions) {
    const logicalId = functionLogicalId(key);
    for (const metricName of ['Errors', 'Throttles']) {
      alarms[`${logicalId}${metricName}Alarm`] = alarm(stage, topicId, {
        what: `${key}-${metricName.toLowerCase()}`,
        description: `The ${key} function had ${metricName.toLowerCase()} (AWS/Lambda ${metricName}).`,
        namespace: 'AWS/Lambda',
        metricName,
        dimensions: { FunctionName: { Ref: logicalId } },
      });
    }
  }
  if (metricsNamespace) {
    alarms.EventsFailedToPutAlarm = alarm(stage, topicId, {
      what: 'events-failed-to-put',
      description: 'Lifecycle events PutEvents still refused after every resend: consumers missed them.',
      namespace: metricsNamespace,
      metricName: 'EventsFailedToPut',
      // The dimension set every EMF document carries (src/runtime/metrics.ts).
      dimensions: { service: serviceName, stage },
    });
  }
  for (const { logicalId, what } of deadLetterQueues(triggers)) {
    alarms[`${logicalId}DepthAlarm`] = alarm(stage, topicId, {
      what: `${what}-depth`,
      description: `Messages wait in the dead-letter queue ${logicalId}: events or invocations that failed for good.`,
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: { 'Fn::GetAtt': [logicalId, 'QueueName'] } },
      statistic: 'Maximum',
    });
  }
  return alarms;
}

/** The key the alarm topic is encrypted with: the account administers it, CloudWatch may only encrypt with it. */
function alarmTopicKey(stage) {
  const account = { 'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root` };
  return {
    Type: 'AWS::KMS::Key',
    Properties: {
      Description: `Encrypts the ${serviceName}-${stage} alarm topic`,
      EnableKeyRotation: true,
      KeyPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            // The account (through IAM policies) administers and uses the key: without it nobody could.
            Sid: 'AccountAdministersKey',
            Effect: 'Allow',
            Principal: { AWS: account },
            Action: [
              'kms:CancelKeyDeletion',
              'kms:Decrypt',
              'kms:DescribeKey',
              'kms:DisableKey',
              'kms:DisableKeyRotation',
              'kms:EnableKey',
              'kms:EnableKeyRotation',
              'kms:GenerateDataKey',
              'kms:GetKeyPolicy',
              'kms:GetKeyRotationStatus',
              'kms:ListResourceTags',
              'kms:PutKeyPolicy',
              'kms:ScheduleKeyDeletion',
              'kms:TagResource',
              'kms:UntagResource',
              'kms:UpdateKeyDescription',
            ],
            Resource: '*',
          },
          {
            Sid: 'CloudWatchAlarmsPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: '*',
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': alarmArnPattern(stage) },
            },
          },
        ],
      },
    },
  };
}

function alarmTopic(stage, topicName) {
  return {
    AlarmTopicKey: alarmTopicKey(stage),
    AlarmTopic: {
      Type: 'AWS::SNS::Topic',
      Properties: { TopicName: topicName, KmsMasterKeyId: { Ref: 'AlarmTopicKey' } },
    },
    AlarmTopicPolicy: {
      Type: 'AWS::SNS::TopicPolicy',
      Properties: {
        Topics: [{ Ref: 'AlarmTopic' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'CloudWatchAlarmsPublish',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: { Ref: 'AlarmTopic' },
              Condition: {
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                ArnLike: { 'aws:SourceArn': alarmArnPattern(stage) },
              },
            },
            {
              Sid: 'DenyInsecureTransport',
              Effect: 'Deny',
              Principal: '*',
              Action: 'sns:Publish',
              Resource: { Ref: 'AlarmTopic' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      },
    },
  };
}

/** A metric widget; `metrics` in the dashboard body's own format. */
const metricWidget = (title, metrics, { stat = 'Sum', width = 12, view = 'timeSeries' } = {}) => ({
  type: 'metric',
  width,
  height: 6,
  properties: { title, region: `\${AWS::Region}`, stat, period, view, metrics },
});

/** SEARCH over one EMF metric of the stage, broken down by `by` when given (e.g. JobsCompleted by Outcome). */
const emfSearch = (namespace, stage, metricName, by, stat = 'Sum') => {
  const dimensions = ['service', 'stage', ...(by ? [by] : [])].join(',');
  const expression = `SEARCH('{${namespace},${dimensions}} MetricName="${metricName}" stage="${stage}"', '${stat}', ${period})`;
  return [{ expression, id: `e${metricName}${by ?? ''}`.toLowerCase().replace(/[^a-z0-9]/g, ''), period }];
};

/** The dashboard for jobs and campaigns: the body is a JSON string with `${AWS::…}` resolved by Fn::Sub. */
function buildDashboard({ stage, metricsNamespace }, alarmNames) {
  const ns = metricsNamespace;
  const machineMetrics = (metricNames) =>
    stateMachines.flatMap(({ key, logicalId }) =>
      metricNames.map((name) => [
        'AWS/States',
        name,
        'StateMachineArn',
        `\${${logicalId}}`,
        { label: `${key} ${name.replace('Executions', '').toLowerCase()}` },
      ]),
    );
  const lambdaSearch = (metricName) => [
    {
      expression: `SEARCH('{AWS/Lambda,FunctionName} MetricName="${metricName}" FunctionName="${serviceName}-${stage}-"', 'Sum', ${period})`,
      id: `lambda${metricName.toLowerCase()}`,
      period,
    },
  ];
  const jobWidgets = ns
    ? [
        metricWidget('Jobs submitted and rejected', [
          emfSearch(ns, stage, 'JobsSubmitted'),
          emfSearch(ns, stage, 'JobsRejected'),
        ]),
        metricWidget('Jobs completed by outcome', [emfSearch(ns, stage, 'JobsCompleted', 'Outcome')]),
        metricWidget('Tasks succeeded and failed', [
          emfSearch(ns, stage, 'TasksSucceeded'),
          emfSearch(ns, stage, 'TasksFailed'),
        ]),
        metricWidget(
          'Failure rate (%) and time to complete (s), per job',
          [
            emfSearch(ns, stage, 'FailureRate', undefined, 'Maximum'),
            emfSearch(ns, stage, 'TimeToComplete', undefined, 'Average'),
          ],
          { stat: 'Maximum' },
        ),
        metricWidget('Policy actions, redrives, events failed to put', [
          emfSearch(ns, stage, 'PolicyActions', 'Action'),
          emfSearch(ns, stage, 'Redrives'),
          emfSearch(ns, stage, 'RedrivenTasks'),
          emfSearch(ns, stage, 'EventsFailedToPut'),
        ]),
        metricWidget('Campaigns completed by outcome', [
          emfSearch(ns, stage, 'CampaignsCompleted', 'Outcome'),
        ]),
      ]
    : [];
  const body = {
    widgets: [
      {
        type: 'alarm',
        width: 24,
        height: 4,
        properties: {
          title: 'Alarms',
          alarms: alarmNames.map(
            (name) => `arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:\${AWS::AccountId}:alarm:${name}`,
          ),
        },
      },
      ...jobWidgets,
      metricWidget(
        'Executions started and succeeded',
        machineMetrics(['ExecutionsStarted', 'ExecutionsSucceeded']),
      ),
      metricWidget(
        'Executions failed, timed out, aborted',
        machineMetrics(['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']),
      ),
      metricWidget('Lambda errors and throttles', [lambdaSearch('Errors'), lambdaSearch('Throttles')]),
    ],
  };
  return {
    Type: 'AWS::CloudWatch::Dashboard',
    Properties: {
      DashboardName: `${serviceName}-${stage}`,
      DashboardBody: { 'Fn::Sub': JSON.stringify(body) },
    },
  };
}

function buildObservabilityResources(settings) {
  const { stage, alarmTopicName } = settings;
  if (typeof alarmTopicName !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(alarmTopicName)) {
    throw new ObservabilityConfigError(
      stage,
      `alarmTopicName is ${JSON.stringify(alarmTopicName)}: an SNS topic name is 1-256 letters, digits, - and _`,
    );
  }
  if (!Array.isArray(settings.functions) || settings.functions.length === 0) {
    throw new ObservabilityConfigError(stage, 'no functions to watch (serverless.yml functions)');
  }
  const alarms = buildAlarms(settings);
  const alarmNames = Object.values(alarms).map((a) => a.Properties.AlarmName);
  return {
    Resources: {
      ...alarmTopic(stage, alarmTopicName),
      ...alarms,
      Dashboard: buildDashboard(settings, alarmNames),
    },
    Outputs: {
      AlarmTopicArn: {
        Description: "The stage's alarm topic: subscribe to it.",
        Value: { Ref: 'AlarmTopic' },
      },
    },
  };
}

async function resolveSettings(resolveVariable) {
  const param = (name) => resolveVariable(`param:${name}`);
  const functions = await resolveVariable('self:functions');
  return {
    stage: await resolveVariable('sls:stage'),
    alarmTopicName: await param('alarmTopicName'),
    metricsNamespace: await param('metricsNamespace'),
    triggers: (await param('triggers')) ?? [],
    functions: Object.keys(functions ?? {}),
  };
}

module.exports = {
  ObservabilityConfigError,
  buildAlarms,
  buildObservabilityResources,
  functionLogicalId,
  deadLetterQueues,
  stateMachines,
  resources: async ({ resolveVariable }) =>
    buildObservabilityResources(await resolveSettings(resolveVariable)),
};
