/**
 * Emulated Amazon EventBridge Scheduler: schedules and schedule groups over REST-JSON (http.ts), firing in
 * emulated time (timers.ts) with cron / rate / at expressions in any IANA time zone (expressions.ts), invoking
 * templated Step Functions and Lambda targets with retries and a dead-letter record (invocation.ts).
 *
 * The in-process API mirrors the operations with the SDK's member names (PascalCase; dates as Date, or ISO
 * text on input), for tests and the local deploy.
 */
import type { EmulatorClock, FaultInjector, ServiceHandler, Storage } from '../contracts.js';
import { createSchedulerHandler } from './http.js';
import {
  type SchedulerDeadLetter,
  type SchedulerFiring,
  type SchedulerTargets,
  TargetInvoker,
} from './invocation.js';
import type { FlexibleTimeWindow, ScheduleState, ScheduleTarget } from './model.js';
import { SchedulerOperations } from './operations.js';
import { SchedulerStore } from './store.js';
import { ScheduleTimers } from './timers.js';
import type { Body } from './validation.js';

export { SchedulerServiceError } from './errors.js';
export { signingNameOf } from './http.js';
export type {
  SchedulerAttempt,
  SchedulerDeadLetter,
  SchedulerError,
  SchedulerFiring,
  SchedulerFiringResult,
  SchedulerTargets,
} from './invocation.js';

export interface SchedulerServiceOptions {
  storage: Storage;
  clock: EmulatorClock;
  faults?: FaultInjector;
  region: string;
  accountId: string;
  targets: SchedulerTargets;
}

type DateInput = Date | string;

export interface ScheduleTargetInput {
  Arn: string;
  RoleArn: string;
  Input?: string;
  RetryPolicy?: { MaximumEventAgeInSeconds?: number; MaximumRetryAttempts?: number };
  DeadLetterConfig?: { Arn?: string };
  [other: string]: unknown;
}

export interface CreateScheduleInput {
  Name: string;
  GroupName?: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  Description?: string;
  StartDate?: DateInput;
  EndDate?: DateInput;
  State?: ScheduleState;
  FlexibleTimeWindow: FlexibleTimeWindow;
  Target: ScheduleTargetInput;
  KmsKeyArn?: string;
  ActionAfterCompletion?: 'NONE' | 'DELETE';
  ClientToken?: string;
}

export type UpdateScheduleInput = CreateScheduleInput;

/** GetSchedule's output. */
export interface ScheduleDescription {
  Arn: string;
  Name: string;
  GroupName: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone: string;
  Description?: string;
  StartDate?: Date;
  EndDate?: Date;
  State: ScheduleState;
  FlexibleTimeWindow: FlexibleTimeWindow;
  Target: ScheduleTarget;
  KmsKeyArn?: string;
  ActionAfterCompletion: 'NONE' | 'DELETE';
  CreationDate: Date;
  LastModificationDate: Date;
}

export interface ScheduleSummary {
  Arn: string;
  Name: string;
  GroupName: string;
  State: ScheduleState;
  CreationDate: Date;
  LastModificationDate: Date;
  Target: { Arn: string };
}

export interface ScheduleGroupDescription {
  Arn: string;
  Name: string;
  State: 'ACTIVE';
  CreationDate?: Date;
  LastModificationDate?: Date;
}

export interface SchedulerService {
  /** The REST-JSON endpoint server.ts routes requests signed for `scheduler` to. */
  handler: ServiceHandler;
  createSchedule(input: CreateScheduleInput): { ScheduleArn: string };
  /** Replaces the whole schedule, as UpdateSchedule does (omitted optional fields return to their defaults). */
  updateSchedule(input: UpdateScheduleInput): { ScheduleArn: string };
  getSchedule(input: { Name: string; GroupName?: string }): ScheduleDescription;
  deleteSchedule(input: { Name: string; GroupName?: string }): void;
  listSchedules(input?: {
    GroupName?: string;
    NamePrefix?: string;
    State?: ScheduleState;
    MaxResults?: number;
    NextToken?: string;
  }): { Schedules: ScheduleSummary[]; NextToken?: string };
  createScheduleGroup(input: { Name: string; Tags?: { Key: string; Value: string }[] }): {
    ScheduleGroupArn: string;
  };
  getScheduleGroup(input: { Name: string }): ScheduleGroupDescription;
  deleteScheduleGroup(input: { Name: string }): void;
  listScheduleGroups(input?: { NamePrefix?: string; MaxResults?: number; NextToken?: string }): {
    ScheduleGroups: ScheduleGroupDescription[];
    NextToken?: string;
  };
  /** Every invocation so far (one per fired slot, after its last attempt), oldest first. */
  firings(): readonly SchedulerFiring[];
  /** The same log as firings(). */
  fired(): readonly SchedulerFiring[];
  /** What was sent to DeadLetterConfig queues (the emulator has no SQS). */
  deadLetters(): readonly SchedulerDeadLetter[];
  /** Resolves once every invocation started so far (retries included) has finished. */
  drain(): Promise<void>;
  /** Stops the timers and pending retries. */
  close(): void;
}

const OPTION_KEYS = ['storage', 'clock', 'faults', 'region', 'accountId', 'targets'];

/** A Date or ISO text as the wire's epoch seconds. */
function wireDate(value: DateInput | undefined, member: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(ms)) throw new TypeError(`${member}: not a date: ${String(value)}`);
  return ms / 1000;
}

const toDate = (seconds: unknown) => (typeof seconds === 'number' ? new Date(seconds * 1000) : undefined);

function datesOf<T>(body: Body, members: string[]): T {
  const out: Body = { ...body };
  for (const member of members) {
    if (out[member] !== undefined) out[member] = toDate(out[member]);
  }
  return out as T;
}

function scheduleBody(input: CreateScheduleInput): { name: string; body: Body } {
  const { Name, StartDate, EndDate, ...rest } = input;
  return {
    name: Name,
    body: {
      ...rest,
      ...(StartDate === undefined ? {} : { StartDate: wireDate(StartDate, 'StartDate') }),
      ...(EndDate === undefined ? {} : { EndDate: wireDate(EndDate, 'EndDate') }),
    },
  };
}

export function createSchedulerService(options: SchedulerServiceOptions): SchedulerService {
  const unknown = Object.keys(options).filter((key) => !OPTION_KEYS.includes(key));
  if (unknown.length > 0) throw new Error(`Unknown EventBridge Scheduler option: ${unknown.join(', ')}`);
  const store = new SchedulerStore(options.storage, options.region, options.accountId);
  const invoker = new TargetInvoker(options.targets, options.clock);
  const timers = new ScheduleTimers(store, options.clock, invoker);
  const operations = new SchedulerOperations(store, options.clock, timers);

  // Schedules stored by an earlier process: slots from now on (missed ones are not fired, see timers.ts).
  const now = options.clock.now().getTime();
  for (const schedule of store.listSchedules()) timers.arm(schedule, now);

  const dates = ['StartDate', 'EndDate', 'CreationDate', 'LastModificationDate'];
  return {
    handler: createSchedulerHandler(operations, options.faults),
    createSchedule(input) {
      const { name, body } = scheduleBody(input);
      return operations.CreateSchedule(name, body) as { ScheduleArn: string };
    },
    updateSchedule(input) {
      const { name, body } = scheduleBody(input);
      return operations.UpdateSchedule(name, body) as { ScheduleArn: string };
    },
    getSchedule({ Name, GroupName }) {
      return datesOf<ScheduleDescription>(operations.GetSchedule(Name, GroupName), dates);
    },
    deleteSchedule({ Name, GroupName }) {
      operations.DeleteSchedule(Name, GroupName);
    },
    listSchedules(input = {}) {
      const { GroupName, ...rest } = input;
      const output = operations.ListSchedules({
        ...rest,
        ...(GroupName === undefined ? {} : { ScheduleGroup: GroupName }),
      });
      return {
        Schedules: (output.Schedules as Body[]).map((summary) => datesOf<ScheduleSummary>(summary, dates)),
        ...(output.NextToken === undefined ? {} : { NextToken: output.NextToken as string }),
      };
    },
    createScheduleGroup({ Name, ...body }) {
      return operations.CreateScheduleGroup(Name, body) as { ScheduleGroupArn: string };
    },
    getScheduleGroup({ Name }) {
      return datesOf<ScheduleGroupDescription>(operations.GetScheduleGroup(Name), dates);
    },
    deleteScheduleGroup({ Name }) {
      operations.DeleteScheduleGroup(Name);
    },
    listScheduleGroups(input = {}) {
      const output = operations.ListScheduleGroups(input);
      return {
        ScheduleGroups: (output.ScheduleGroups as Body[]).map((group) =>
          datesOf<ScheduleGroupDescription>(group, dates),
        ),
        ...(output.NextToken === undefined ? {} : { NextToken: output.NextToken as string }),
      };
    },
    firings: () => invoker.firings,
    fired: () => invoker.firings,
    deadLetters: () => invoker.deadLetters,
    drain: () => invoker.drain(),
    close() {
      timers.close();
      invoker.close();
    },
  };
}
