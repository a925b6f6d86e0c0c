import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../emulator/index.js';
import { deployProject } from '../../local/deploy-local.js';
import { projectRoot } from '../../local/serverless-config.js';

describe('deployProject', () => {
  let aws: LocalAws | undefined;
  afterEach(async () => {
    await aws?.stop();
    aws = undefined;
  });

  it('gives each Lambda its own environment and leaves process.env as it found it', async () => {
    // Prepare
    // Powertools sets AWS_SDK_UA_APP_ID, and aws-xray-sdk-core AWS_XRAY_CONTEXT_MISSING, on process.env when
    // their modules load: load them before the snapshot (the tracer comes with the adapters, not the handler).
    await import('../../src/runtime/handler.js');
    await import('../../src/runtime/adapters.js');
    const before = { ...process.env };
    aws = await startLocalAws({ inMemory: true, port: 0 });
    const lambda = new LambdaClient({
      region: aws.region,
      endpoint: aws.url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

    // Act
    const project = await deployProject(aws, {
      stage: 'dev',
      environment: { POWERTOOLS_LOG_LEVEL: 'DEBUG', S3BO_STAGE: 'not-this-one' },
    });
    const { Configuration } = await lambda.send(
      new GetFunctionCommand({ FunctionName: project.functionNames['submit-job'] }),
    );
    lambda.destroy();

    // Assess
    expect(process.env).toEqual(before);
    expect(Configuration?.Handler).toBe('functions/submit-job.handler');
    expect(Configuration?.Environment?.Variables).toEqual({
      S3BO_EVENT_SOURCE: 's3-batch-orchestrator',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      S3BO_STATE_BUCKET: 's3-batch-orchestrator-dev-state',
      S3BO_STAGE: 'dev',
      S3BO_EVENT_BUS_NAME: 's3-batch-orchestrator-dev',
      S3BO_ACCOUNT_ID: aws.accountId,
      S3BO_BATCH_ROLE_ARN: `arn:aws:iam::${aws.accountId}:role/s3-batch-orchestrator-dev-batch-operations`,
      S3BO_STATE_MACHINE_ARN: project.stateMachineArns.batchJob,
      AWS_REGION: aws.region,
      AWS_ENDPOINT_URL: aws.url,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
  });

  it('deploys the campaign machine, its children bound by name, and schedules none of campaigns/ for stage local', async () => {
    // Prepare
    aws = await startLocalAws({ inMemory: true, port: 0 });
    const sfn = new SFNClient({
      region: aws.region,
      endpoint: aws.url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

    // Act
    const project = await deployProject(aws);
    const { definition } = await sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: project.stateMachineArns.campaign! }),
    );
    sfn.destroy();

    // Assess
    expect(project.stateMachineArns.campaign).toBe(
      `arn:aws:states:${aws.region}:${aws.accountId}:stateMachine:s3-batch-orchestrator-local-campaign`,
    );
    expect(
      JSON.parse(definition!).States.RunTargets.ItemProcessor.States.RunBatchJob.Parameters.StateMachineArn,
    ).toBe(project.stateMachineArns.batchJob);
    expect(project.campaignSchedules).toEqual({});
    expect(aws.scheduler.listSchedules().Schedules).toEqual([]);
  });

  it("schedules the stage's campaigns (dev: weekly-tagging) as the package does, in the stage's group", async () => {
    // Prepare
    aws = await startLocalAws({ inMemory: true, port: 0 });
    const file = JSON.parse(
      readFileSync(join(projectRoot, 'campaigns/weekly-tagging.json'), 'utf8'),
    ) as unknown;

    // Act
    const project = await deployProject(aws, { stage: 'dev' });
    const schedule = aws.scheduler.getSchedule({
      Name: 'weekly-tagging',
      GroupName: 's3-batch-orchestrator-dev',
    });

    // Assess
    expect(Object.keys(project.campaignSchedules)).toEqual(['weekly-tagging']);
    expect(schedule).toMatchObject({
      Arn: project.campaignSchedules['weekly-tagging'],
      ScheduleExpression: 'cron(0 3 ? * SUN *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      State: 'ENABLED',
      Target: {
        Arn: project.stateMachineArns.campaign,
        RoleArn: `arn:aws:iam::${aws.accountId}:role/s3-batch-orchestrator-dev-campaign-scheduler`,
        DeadLetterConfig: {
          Arn: `arn:aws:sqs:${aws.region}:${aws.accountId}:s3-batch-orchestrator-dev-trigger-dlq`,
        },
      },
    });
    expect(JSON.parse(schedule.Target.Input!)).toEqual({
      campaign: file,
      scheduledTime: '<aws.scheduler.scheduled-time>',
      trigger: 'schedule',
    });
  });

  it('schedules the campaigns it is given, updates them on a second deploy, and refuses an invalid one', async () => {
    // Prepare
    aws = await startLocalAws({ inMemory: true, port: 0 });
    const campaign = {
      ...JSON.parse(readFileSync(join(projectRoot, 'campaigns/weekly-tagging.json'), 'utf8')),
      name: 'nightly',
      schedule: { expression: 'rate(1 day)' },
    };

    // Act
    await deployProject(aws, { campaigns: [campaign] });
    await deployProject(aws, {
      campaigns: [{ ...campaign, schedule: { expression: 'rate(2 days)', enabled: false } }],
    });
    const invalid = deployProject(aws, { campaigns: [{ ...campaign, targets: [] }] });

    // Assess
    expect(
      aws.scheduler.getSchedule({ Name: 'nightly', GroupName: 's3-batch-orchestrator-local' }),
    ).toMatchObject({
      ScheduleExpression: 'rate(2 days)',
      State: 'DISABLED',
    });
    await expect(invalid).rejects.toThrow(
      'local deploy: campaign nightly is invalid: targets: must NOT have fewer than 1 items',
    );
  });

  it('rejects an unknown option, naming it', async () => {
    // Prepare
    aws = await startLocalAws({ inMemory: true, port: 0 });

    // Act / Assess
    await expect(deployProject(aws, { stag: 'dev' } as never)).rejects.toThrow(/unknown option "stag"/);
  });
});
