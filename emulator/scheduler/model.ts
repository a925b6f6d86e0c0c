/**
 * EventBridge Scheduler resources as the emulator stores them. Member names and shapes are the API's
 * (scheduler-2021-06-30); dates are epoch milliseconds here and epoch seconds on the wire.
 */

export type ScheduleState = 'ENABLED' | 'DISABLED';

export interface FlexibleTimeWindow {
  Mode: 'OFF' | 'FLEXIBLE';
  MaximumWindowInMinutes?: number;
}

export interface RetryPolicy {
  MaximumEventAgeInSeconds: number;
  MaximumRetryAttempts: number;
}

export interface ScheduleTarget {
  Arn: string;
  RoleArn: string;
  Input?: string;
  RetryPolicy: RetryPolicy;
  DeadLetterConfig?: { Arn?: string };
  /** EcsParameters, SqsParameters, … : stored and returned, never used (those targets are not emulated). */
  [other: string]: unknown;
}

export interface ScheduleRecord {
  Arn: string;
  Name: string;
  GroupName: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone: string;
  Description?: string;
  StartDate?: number;
  EndDate?: number;
  State: ScheduleState;
  FlexibleTimeWindow: FlexibleTimeWindow;
  Target: ScheduleTarget;
  KmsKeyArn?: string;
  ActionAfterCompletion: 'NONE' | 'DELETE';
  CreationDate: number;
  LastModificationDate: number;
  /** Emulator bookkeeping (never returned): bumped by every create and update, so stale timers stand down. */
  revision: number;
  /** When a rate expression without StartDate counts from: when it was last set (whole seconds). */
  rateAnchor: number;
  /** The last slot whose firing started (durable): a restarted emulator never fires it again. */
  lastFiredSlot?: number;
}

export interface ScheduleGroupRecord {
  Arn: string;
  Name: string;
  State: 'ACTIVE';
  /** Absent for the `default` group, which always exists. */
  CreationDate?: number;
  LastModificationDate?: number;
  Tags: { Key: string; Value: string }[];
}

export const DEFAULT_GROUP = 'default';
