import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateScheduleCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../../../emulator/index.js';
import { CREDENTIALS } from '../kit.js';
import { waitFor } from './helpers.js';

describe('EventBridge Scheduler in the local AWS', () => {
  let aws: LocalAws;

  beforeEach(async () => {
    aws = await startLocalAws({ inMemory: true, port: 0, timeScale: 600 });
  });
  afterEach(() => aws.stop());

  it('routes requests signed for `scheduler` to the Scheduler, and `/schedules` paths of a bucket to S3', async () => {
    const scheduler = new SchedulerClient({
      endpoint: aws.url,
      region: aws.region,
      credentials: CREDENTIALS,
    });
    const s3 = new S3Client({
      endpoint: aws.url,
      region: aws.region,
      credentials: CREDENTIALS,
      forcePathStyle: true,
    });
    try {
      const stateMachineArn = aws.sfn.createStateMachine('on-schedule', {
        StartAt: 'Done',
        States: { Done: { Type: 'Pass', End: true } },
      });
      await scheduler.send(
        new CreateScheduleCommand({
          Name: 'every-minute',
          ScheduleExpression: 'rate(1 minute)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: {
            Arn: stateMachineArn,
            RoleArn: `arn:aws:iam::${aws.accountId}:role/scheduler`,
            Input: '{"scheduledTime":"<aws.scheduler.scheduled-time>"}',
          },
        }),
      );
      await s3.send(new CreateBucketCommand({ Bucket: 'schedules' }));
      await s3.send(
        new PutObjectCommand({ Bucket: 'schedules', Key: 'every-minute', Body: 'not a schedule' }),
      );

      const listed = await scheduler.send(new ListSchedulesCommand({}));
      expect(listed.Schedules!.map((summary) => summary.Name)).toEqual(['every-minute']);
      const objects = await s3.send(new ListObjectsV2Command({ Bucket: 'schedules' }));
      expect(objects.Contents!.map((object) => object.Key)).toEqual(['every-minute']);

      const [firing] = await waitFor(
        () => aws.scheduler.firings(),
        (firings) => firings.length >= 1,
      );
      expect(firing!.result).toMatchObject({ ok: true });
      const execution = await aws.sfn.waitForExecution(
        (firing!.result as { executionArn: string }).executionArn,
        5000,
      );
      expect(JSON.parse(execution.output!)).toEqual({ scheduledTime: firing!.scheduledTime });
    } finally {
      scheduler.destroy();
      s3.destroy();
    }
  });
});
