import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../emulator/index.js';
import { deployProject } from '../../local/deploy-local.js';

describe('deployProject', () => {
  let aws: LocalAws | undefined;
  afterEach(async () => {
    await aws?.stop();
    aws = undefined;
  });

  it('gives each Lambda its own environment and leaves process.env as it found it', async () => {
    // Prepare
    // Powertools sets AWS_SDK_UA_APP_ID on process.env when its modules load: load them before the snapshot.
    await import('../../src/runtime/handler.js');
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

  it('rejects an unknown option, naming it', async () => {
    // Prepare
    aws = await startLocalAws({ inMemory: true, port: 0 });

    // Act / Assess
    await expect(deployProject(aws, { stag: 'dev' } as never)).rejects.toThrow(/unknown option "stag"/);
  });
});
