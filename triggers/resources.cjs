/**
 * The stage's coalescing triggers as CloudFormation resources: per trigger the stage enables (serverless.yml
 * `params.<stage>.triggers`, names of files in triggers/) an SQS queue and its dead-letter queue (both
 * SSE-SQS), a queue policy that lets only the trigger's rule send, the EventBridge rule on S3 "Object
 * Created" events of the default bus (pattern from `source`), and the event source mapping that hands the
 * queue's messages to collect-objects. serverless.yml includes it as `${file(./triggers/resources.cjs):resources}`
 * (osls' file variable source calls `resources` at package time, as campaigns/schedules.cjs), and sets the
 * trigger functions' S3BO_TRIGGERS from `names`. CommonJS because osls require()s the file.
 *
 * Checked here, so a trigger that could not run on the stage fails the package, naming what is wrong: the
 * file exists and names itself; its operation is one of the stage's batchOperations; its buckets are
 * allowed buckets and its report goes to the stage's report bucket. The full validation
 * (schemas/trigger.schema.json, the job template) is src/core/triggers/parse-trigger.ts, run over every file
 * by test/unit/core/triggers/parse-trigger.test.ts.
 */
const { isObject, pascalOf, readNamedJsonFile } = require('../packaging/named-json-file.cjs');

const triggersDir = __dirname;
const serviceName = 's3-batch-orchestrator';

/** Logical ids of serverless.yml resources the trigger resources refer to. */
const logicalIds = { collectFunction: 'CollectDashobjectsLambdaFunction' };

/** collect-objects' timeout (serverless.yml); the queue's visibility timeout is derived from it. */
const collectorTimeoutSeconds = 120;
/** Receives before a message moves to the trigger's dead-letter queue (shared design). */
const maxReceiveCount = 5;
/** EventBridge retries delivery to the queue for up to a day, then dead-letters the event. */
const ruleRetryPolicy = { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 };

class TriggerConfigError extends Error {
  constructor(stage, subject, problem) {
    super(`serverless.yml params (stage ${stage}): ${subject} ${problem}`);
    this.name = 'TriggerConfigError';
  }
}

const queueName = (stage, name) => `${serviceName}-${stage}-trigger-${name}`;
const ruleName = (stage, name) => `${serviceName}-${stage}-trigger-${name}`;

function readTrigger(stage, name, dir) {
  if (
    typeof name !== 'string' ||
    !/^[a-z0-9][a-z0-9-]{0,39}$/.test(name) ||
    name === 'dlq' ||
    name.endsWith('-dlq')
  ) {
    throw new TriggerConfigError(stage, 'triggers', `lists ${JSON.stringify(name)}, not a trigger name`);
  }
  const trigger = readNamedJsonFile({
    dir,
    folder: 'triggers',
    name,
    fail: (subject, problem) => {
      throw new TriggerConfigError(stage, subject, problem);
    },
  });
  if (!isObject(trigger.source) || !Array.isArray(trigger.source.buckets) || !isObject(trigger.window)) {
    throw new TriggerConfigError(stage, `triggers/${name}.json`, 'needs source.buckets and window');
  }
  return trigger;
}

function checkRunsOnStage(settings, name, trigger) {
  const { stage, batchOperations, allowedBuckets, reportBucket } = settings;
  for (const operation of Object.keys(trigger.job?.operation ?? {})) {
    if (!batchOperations.includes(operation)) {
      throw new TriggerConfigError(
        stage,
        `trigger ${name}`,
        `runs ${operation}, which batchOperations does not enable (${batchOperations.join(', ')})`,
      );
    }
  }
  for (const bucket of trigger.source.buckets) {
    if (!allowedBuckets.includes(bucket)) {
      throw new TriggerConfigError(
        stage,
        `trigger ${name}`,
        `source.buckets lists ${bucket}, which is not one of allowedBuckets (${allowedBuckets.join(', ')})`,
      );
    }
  }
  const report = trigger.job?.report;
  if (
    isObject(report) &&
    report.enabled !== false &&
    report.bucket !== undefined &&
    report.bucket !== reportBucket
  ) {
    throw new TriggerConfigError(
      stage,
      `trigger ${name}`,
      `job.report writes to ${report.bucket}; the stage's batch role writes reports only to reportBucket (${reportBucket})`,
    );
  }
}

/** `*` and `\` are wildcard syntax in EventBridge patterns ("Wildcard matching"): escaped in literal parts. */
const wildcardLiteral = (text) => text.replace(/[\\*]/g, (c) => `\\${c}`);

/** The rule's pattern: the trigger's buckets, key prefix and suffix (together: one wildcard), size range. */
function eventPatternOf(source) {
  const object = {};
  if (source.prefix !== undefined && source.suffix !== undefined) {
    object.key = [{ wildcard: `${wildcardLiteral(source.prefix)}*${wildcardLiteral(source.suffix)}` }];
  } else if (source.prefix !== undefined) object.key = [{ prefix: source.prefix }];
  else if (source.suffix !== undefined) object.key = [{ suffix: source.suffix }];
  const range = [
    ...(source.minSizeBytes === undefined ? [] : ['>=', source.minSizeBytes]),
    ...(source.maxSizeBytes === undefined ? [] : ['<=', source.maxSizeBytes]),
  ];
  if (range.length > 0) object.size = [{ numeric: range }];
  return {
    source: ['aws.s3'],
    'detail-type': ['Object Created'],
    detail: { bucket: { name: [...source.buckets] }, ...(Object.keys(object).length > 0 ? { object } : {}) },
  };
}

const getAttArn = (id) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const ruleArn = (stage, name) => ({
  'Fn::Sub': `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:rule/${ruleName(stage, name)}`,
});

/** The five resources of one trigger, keyed by logical id. */
function resourcesOf(stage, trigger) {
  const id = pascalOf(trigger.name);
  const ids = {
    queue: `TriggerQueue${id}`,
    deadLetterQueue: `TriggerDeadLetterQueue${id}`,
    policy: `TriggerQueuePolicy${id}`,
    rule: `TriggerRule${id}`,
    mapping: `TriggerEventSourceMapping${id}`,
  };
  const { maxObjects, maxWaitSeconds } = trigger.window;
  // Lambda Developer Guide, "Using Lambda with Amazon SQS": BatchSize up to 10,000 and a batching window up
  // to 300 s; the queue's visibility timeout at least six times the function's timeout plus the window.
  const batchingWindow = Math.min(maxWaitSeconds, 300);
  return {
    [ids.deadLetterQueue]: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: `${queueName(stage, trigger.name)}-dlq`,
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 1209600,
      },
    },
    [ids.queue]: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: queueName(stage, trigger.name),
        SqsManagedSseEnabled: true,
        VisibilityTimeout: 6 * collectorTimeoutSeconds + batchingWindow,
        MessageRetentionPeriod: 1209600,
        RedrivePolicy: { deadLetterTargetArn: getAttArn(ids.deadLetterQueue), maxReceiveCount },
      },
    },
    // Only the trigger's own rule may send: to the queue, and to the dead-letter queue what it cannot deliver.
    [ids.policy]: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [{ Ref: ids.queue }, { Ref: ids.deadLetterQueue }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'TriggerRuleSends',
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: [getAttArn(ids.queue), getAttArn(ids.deadLetterQueue)],
              Condition: { ArnEquals: { 'aws:SourceArn': ruleArn(stage, trigger.name) } },
            },
          ],
        },
      },
    },
    [ids.rule]: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Name: ruleName(stage, trigger.name),
        ...(trigger.description ? { Description: trigger.description.slice(0, 512) } : {}),
        EventPattern: eventPatternOf(trigger.source),
        State: 'ENABLED',
        Targets: [
          {
            Id: 'trigger-queue',
            Arn: getAttArn(ids.queue),
            RetryPolicy: ruleRetryPolicy,
            DeadLetterConfig: { Arn: getAttArn(ids.deadLetterQueue) },
          },
        ],
      },
    },
    [ids.mapping]: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: {
        EventSourceArn: getAttArn(ids.queue),
        FunctionName: getAttArn(logicalIds.collectFunction),
        BatchSize: Math.min(maxObjects, 10000),
        MaximumBatchingWindowInSeconds: batchingWindow,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        Enabled: true,
      },
    },
  };
}

function stringList(stage, param, value) {
  if (!Array.isArray(value)) throw new TriggerConfigError(stage, param, 'must be a list');
  const duplicate = value.find((item, i) => value.indexOf(item) !== i);
  if (duplicate !== undefined) throw new TriggerConfigError(stage, param, `lists "${duplicate}" twice`);
  return value;
}

/** `{ Resources: {...} }` for these settings, empty when the stage enables no trigger. */
function buildTriggerResources(settings, dir = triggersDir) {
  const { stage } = settings;
  const names = stringList(stage, 'triggers', settings.triggers ?? []);
  const checked = {
    stage,
    batchOperations: stringList(stage, 'batchOperations', settings.batchOperations),
    allowedBuckets: stringList(stage, 'allowedBuckets', settings.allowedBuckets),
    reportBucket: settings.reportBucket,
  };
  const resources = {};
  for (const name of names) {
    const trigger = readTrigger(stage, name, dir);
    checkRunsOnStage(checked, name, trigger);
    for (const [id, resource] of Object.entries(resourcesOf(stage, trigger))) {
      if (id in resources) {
        throw new TriggerConfigError(
          stage,
          'triggers',
          `"${name}" gives the same logical id (${id}) as another`,
        );
      }
      resources[id] = resource;
    }
  }
  return { Resources: resources };
}

async function resolveSettings(resolveVariable) {
  const param = (name) => resolveVariable(`param:${name}`);
  return {
    stage: await resolveVariable('sls:stage'),
    triggers: await param('triggers'),
    batchOperations: await param('batchOperations'),
    allowedBuckets: await param('allowedBuckets'),
    reportBucket: await param('reportBucket'),
  };
}

module.exports = {
  TriggerConfigError,
  buildTriggerResources,
  eventPatternOf,
  queueName,
  ruleName,
  collectorTimeoutSeconds,
  maxReceiveCount,
  // osls entry points: `${file(./triggers/resources.cjs):resources}` and `…:names` (S3BO_TRIGGERS).
  resources: async ({ resolveVariable }) => buildTriggerResources(await resolveSettings(resolveVariable)),
  names: async ({ resolveVariable }) => {
    const { stage, triggers } = await resolveSettings(resolveVariable);
    return stringList(stage, 'triggers', triggers ?? []).join(',');
  },
};
