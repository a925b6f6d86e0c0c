/**
 * Campaigns and triggers as AWS holds them: EventBridge Scheduler schedules (state, expression, next run in
 * emulated time, the last firings and the executions they started) and SQS queues with the messages waiting
 * in them (a coalescing trigger's pending uploads are its queue's visible and in-flight messages).
 */
import { nextSlot } from '../scheduler/expressions.js';
import type { SchedulerService } from '../scheduler/index.js';
import type { ScheduleRecord } from '../scheduler/model.js';
import type { SqsService } from '../sqs/index.js';

/** Bounds the listings: a console page, not an export. */
const MAX_SCHEDULES = 200;
const MAX_QUEUES = 200;
const FIRINGS_SHOWN = 5;

export function createCampaignsView(scheduler: SchedulerService, sqs: SqsService, now: () => Date) {
  const nextRun = (name: string, groupName: string): string | undefined => {
    const schedule = scheduler.getSchedule({ Name: name, GroupName: groupName });
    if (schedule.State !== 'ENABLED') return undefined;
    // nextSlot reads the stored record's shape: dates in epoch milliseconds; a rate without StartDate counts
    // from the schedule's last change.
    const record = {
      ...schedule,
      StartDate: schedule.StartDate?.getTime(),
      EndDate: schedule.EndDate?.getTime(),
      rateAnchor: Math.floor(schedule.LastModificationDate.getTime() / 1000) * 1000,
    } as unknown as ScheduleRecord;
    const slot = nextSlot(record, now().getTime());
    return slot === undefined ? undefined : new Date(slot).toISOString();
  };

  return {
    schedules() {
      const summaries = [];
      let nextToken: string | undefined;
      do {
        const page = scheduler.listSchedules({
          MaxResults: 100,
          ...(nextToken ? { NextToken: nextToken } : {}),
        });
        summaries.push(...page.Schedules);
        nextToken = page.NextToken;
      } while (nextToken && summaries.length < MAX_SCHEDULES);
      const firings = scheduler.firings();
      return summaries.map((summary) => {
        const schedule = scheduler.getSchedule({ Name: summary.Name, GroupName: summary.GroupName });
        const own = firings.filter((firing) => firing.scheduleArn === summary.Arn).slice(-FIRINGS_SHOWN);
        return {
          name: summary.Name,
          groupName: summary.GroupName,
          state: summary.State,
          expression: schedule.ScheduleExpression,
          timezone: schedule.ScheduleExpressionTimezone,
          description: schedule.Description,
          targetArn: schedule.Target.Arn,
          nextRun: nextRun(summary.Name, summary.GroupName),
          firings: own.reverse().map((firing) => ({
            scheduledTime: firing.scheduledTime,
            attempts: firing.attempts.length,
            ok: firing.result.ok,
            ...(firing.result.ok && firing.result.executionArn
              ? { executionArn: firing.result.executionArn }
              : {}),
          })),
        };
      });
    },

    queues() {
      const { QueueUrls = [] } = sqs.listQueues({ MaxResults: MAX_QUEUES });
      return QueueUrls.map((queueUrl) => {
        const { Attributes = {} } = sqs.getQueueAttributes({ QueueUrl: queueUrl, AttributeNames: ['All'] });
        return {
          name: queueUrl.slice(queueUrl.lastIndexOf('/') + 1),
          visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
          inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
          delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
          deadLetterTarget: Attributes.RedrivePolicy
            ? (JSON.parse(Attributes.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn
            : undefined,
        };
      });
    },
  };
}

export type CampaignsView = ReturnType<typeof createCampaignsView>;
