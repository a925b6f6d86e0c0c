/**
 * The stage's campaign schedules as CloudFormation resources: one AWS::Scheduler::Schedule per campaign the
 * stage enables (serverless.yml `params.<stage>.campaigns`, names of files in campaigns/), in the stage's
 * schedule group, starting the campaign state machine with the campaign as input. serverless.yml includes it
 * as `${file(./campaigns/schedules.cjs):resources}` (osls' file variable source calls `resources` at package
 * time, like iam/batch-role.cjs): YAML cannot loop over a list, and the input is the campaign file itself, so
 * a schedule always carries the campaign as committed. CommonJS because osls require()s the file and the
 * package is ESM.
 *
 * Checked here, so a campaign that could not run on the stage fails the package, naming what is wrong: the
 * file exists and names itself; every operation it runs is one of the stage's batchOperations (the batch
 * role and CreateJob's IAM condition allow nothing else); every bucket it reads is an allowed bucket and
 * every report goes to the stage's report bucket (the batch role's grants). The full validation
 * (schemas/campaign.schema.json, every target's job request) is src/core/campaign/parse-campaign.ts, run over
 * every file by test/unit/core/campaign/campaign-files.test.ts.
 */
const { isObject, pascalOf, readNamedJsonFile } = require('../packaging/named-json-file.cjs');

const campaignsDir = __dirname;
/** Logical ids of serverless.yml resources and generated roles the schedules refer to. */
const logicalIds = {
  stateMachine: 'CampaignStateMachine',
  group: 'CampaignScheduleGroup',
  role: 'CampaignSchedulerRole',
  deadLetterQueue: 'TriggerDeadLetterQueue',
};
/**
 * EventBridge Scheduler retries a failed StartExecution (throttling, a transient error) for up to an hour,
 * then dead-letters the invocation. A repeated start is harmless: the run is claimed once (ClaimRun).
 */
const retryPolicy = { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 };

class CampaignScheduleConfigError extends Error {
  constructor(stage, subject, problem) {
    super(`serverless.yml params (stage ${stage}): ${subject} ${problem}`);
    this.name = 'CampaignScheduleConfigError';
  }
}

/** `weekly-tagging` -> `CampaignScheduleWeeklyTagging` */
const logicalIdOf = (name) => `CampaignSchedule${pascalOf(name)}`;

function readCampaign(stage, name, dir) {
  if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9-]{0,39}$/.test(name)) {
    throw new CampaignScheduleConfigError(
      stage,
      'campaigns',
      `lists ${JSON.stringify(name)}, not a campaign name`,
    );
  }
  return readNamedJsonFile({
    dir,
    folder: 'campaigns',
    name,
    fail: (subject, problem) => {
      throw new CampaignScheduleConfigError(stage, subject, problem);
    },
  });
}

const operationsOf = (campaign) =>
  [
    campaign.job?.operation,
    ...(campaign.targets ?? []).map((target) => target.overrides?.operation),
    campaign.restore?.then?.operation,
  ]
    .filter(isObject)
    .flatMap((operation) => Object.keys(operation));

/** [where, bucket] of every bucket a job reads its objects or manifest from. */
function sourceBucketsOf(campaign) {
  return (campaign.targets ?? []).flatMap((target, i) => {
    const found = [];
    const manifest = target.manifest;
    if (isObject(manifest?.inventory))
      found.push([`targets[${i}].manifest.inventory.bucket`, manifest.inventory.bucket]);
    else if (isObject(manifest)) found.push([`targets[${i}].manifest.bucket`, manifest.bucket]);
    if (isObject(target.manifestGenerator)) {
      found.push([`targets[${i}].manifestGenerator.sourceBucket`, target.manifestGenerator.sourceBucket]);
    }
    return found;
  });
}

/** [where, bucket] of every bucket a job writes to through the batch role: reports and generated manifests. */
function reportBucketsOf(campaign) {
  const found = [];
  const report = (where, value) => {
    if (isObject(value) && value.enabled !== false && value.bucket !== undefined)
      found.push([where, value.bucket]);
  };
  report('job.report', campaign.job?.report);
  report('restore.then.report', campaign.restore?.then?.report);
  (campaign.targets ?? []).forEach((target, i) => {
    report(`targets[${i}].overrides.report`, target.overrides?.report);
    const output = target.manifestGenerator?.manifestOutputLocation;
    if (isObject(output))
      found.push([`targets[${i}].manifestGenerator.manifestOutputLocation`, output.bucket]);
  });
  return found;
}

function checkRunsOnStage(settings, name, campaign) {
  const { stage, batchOperations, allowedBuckets, reportBucket } = settings;
  for (const operation of operationsOf(campaign)) {
    if (!batchOperations.includes(operation)) {
      throw new CampaignScheduleConfigError(
        stage,
        `campaign ${name}`,
        `runs ${operation}, which batchOperations does not enable (${batchOperations.join(', ')})`,
      );
    }
  }
  for (const [where, bucket] of sourceBucketsOf(campaign)) {
    if (!allowedBuckets.includes(bucket)) {
      throw new CampaignScheduleConfigError(
        stage,
        `campaign ${name}`,
        `${where} is ${bucket}, which is not one of allowedBuckets (${allowedBuckets.join(', ')})`,
      );
    }
  }
  for (const [where, bucket] of reportBucketsOf(campaign)) {
    if (bucket !== reportBucket) {
      throw new CampaignScheduleConfigError(
        stage,
        `campaign ${name}`,
        `${where} writes to ${bucket}; the stage's batch role writes reports only to reportBucket (${reportBucket})`,
      );
    }
  }
}

/**
 * @typedef {object} ScheduleResource
 * @property {'AWS::Scheduler::Schedule'} Type
 * @property {{
 *   Name: string,
 *   GroupName: unknown,
 *   Description?: string,
 *   ScheduleExpression: string,
 *   ScheduleExpressionTimezone: string,
 *   FlexibleTimeWindow: { Mode: 'OFF' } | { Mode: 'FLEXIBLE', MaximumWindowInMinutes: number },
 *   State: 'ENABLED' | 'DISABLED',
 *   Target: {
 *     Arn: unknown,
 *     RoleArn: unknown,
 *     Input: string,
 *     RetryPolicy: { MaximumEventAgeInSeconds: number, MaximumRetryAttempts: number },
 *     DeadLetterConfig: { Arn: unknown },
 *   },
 * }} Properties
 */

/**
 * A campaign's schedule, its references to other resources as CloudFormation logical ids.
 * @param {Record<string, any>} campaign
 * @returns {ScheduleResource}
 */
function scheduleOf(campaign) {
  const schedule = campaign.schedule ?? {};
  return {
    Type: 'AWS::Scheduler::Schedule',
    Properties: {
      Name: campaign.name,
      GroupName: { Ref: logicalIds.group },
      ...(campaign.description ? { Description: campaign.description.slice(0, 512) } : {}),
      ScheduleExpression: schedule.expression,
      ScheduleExpressionTimezone: schedule.timezone ?? 'UTC',
      FlexibleTimeWindow:
        schedule.flexibleWindowMinutes === undefined
          ? { Mode: 'OFF' }
          : { Mode: 'FLEXIBLE', MaximumWindowInMinutes: schedule.flexibleWindowMinutes },
      State: schedule.enabled === false ? 'DISABLED' : 'ENABLED',
      Target: {
        Arn: { Ref: logicalIds.stateMachine },
        RoleArn: { 'Fn::GetAtt': [logicalIds.role, 'Arn'] },
        // The campaign machine's input (docs/workflow-contract.md); Scheduler fills in the context attribute.
        Input: JSON.stringify({
          campaign,
          scheduledTime: '<aws.scheduler.scheduled-time>',
          trigger: 'schedule',
        }),
        RetryPolicy: retryPolicy,
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIds.deadLetterQueue, 'Arn'] } },
      },
    },
  };
}

function stringList(stage, param, value) {
  if (!Array.isArray(value)) throw new CampaignScheduleConfigError(stage, param, 'must be a list');
  const duplicate = value.find((item, i) => value.indexOf(item) !== i);
  if (duplicate !== undefined)
    throw new CampaignScheduleConfigError(stage, param, `lists "${duplicate}" twice`);
  return value;
}

/**
 * The schedule resources for these settings: `{ Resources: { CampaignSchedule<Name>: … } }`, empty when the
 * stage enables no campaign. `dir` is where the campaign files are (default this folder).
 */
function buildScheduleResources(settings, dir = campaignsDir) {
  const { stage } = settings;
  const names = stringList(stage, 'campaigns', settings.campaigns ?? []);
  const checked = {
    stage,
    batchOperations: stringList(stage, 'batchOperations', settings.batchOperations),
    allowedBuckets: stringList(stage, 'allowedBuckets', settings.allowedBuckets),
    reportBucket: settings.reportBucket,
  };
  /** @type {Record<string, ScheduleResource>} */
  const resources = {};
  for (const name of names) {
    const campaign = readCampaign(stage, name, dir);
    checkRunsOnStage(checked, name, campaign);
    const id = logicalIdOf(name);
    if (id in resources) {
      throw new CampaignScheduleConfigError(
        stage,
        'campaigns',
        `"${name}" gives the same logical id (${id}) as another`,
      );
    }
    resources[id] = scheduleOf(campaign);
  }
  return { Resources: resources };
}

async function resolveSettings(resolveVariable) {
  const param = (name) => resolveVariable(`param:${name}`);
  return {
    stage: await resolveVariable('sls:stage'),
    campaigns: await param('campaigns'),
    batchOperations: await param('batchOperations'),
    allowedBuckets: await param('allowedBuckets'),
    reportBucket: await param('reportBucket'),
  };
}

module.exports = {
  CampaignScheduleConfigError,
  buildScheduleResources,
  logicalIdOf,
  // The local deploy builds the same schedule and replaces the logical ids by local ARNs.
  scheduleOf,
  logicalIds,
  // osls entry point: `${file(./campaigns/schedules.cjs):resources}`.
  resources: async ({ resolveVariable }) => buildScheduleResources(await resolveSettings(resolveVariable)),
};
