/**
 * EventBridge Scheduler operations (scheduler-2021-06-30), taking and returning the JSON bodies of the
 * REST-JSON wire protocol (dates as epoch seconds). The HTTP layer (http.ts) and the in-process API (index.ts)
 * both call these.
 */
import type { EmulatorClock } from '../contracts.js';
import { groupNotFound, SchedulerServiceError, scheduleNotFound, validation } from './errors.js';
import { DEFAULT_GROUP, type ScheduleGroupRecord, type ScheduleRecord } from './model.js';
import type { SchedulerStore } from './store.js';
import type { ScheduleTimers } from './timers.js';
import { type Body, checkString, NAME_PATTERN, scheduleFields } from './validation.js';

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

/** Drops undefined members, as the JSON protocol omits them. */
const compact = (value: Body): Body =>
  Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined));

function page<T>(items: T[], key: (item: T) => string, maxResults: unknown, nextToken: unknown) {
  let limit = 100;
  if (maxResults !== undefined && maxResults !== null) {
    const value = Number(maxResults);
    if (!Number.isInteger(value) || value < 1 || value > 100) {
      throw validation(
        `1 validation error detected: Value '${String(maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100`,
      );
    }
    limit = value;
  }
  let start = 0;
  if (nextToken !== undefined && nextToken !== null && nextToken !== '') {
    let after: unknown;
    try {
      after = JSON.parse(Buffer.from(String(nextToken), 'base64url').toString('utf8')).after;
    } catch {
      after = undefined;
    }
    if (typeof after !== 'string') throw validation('Invalid NextToken.');
    start = items.findIndex((item) => key(item) > after);
    if (start === -1) start = items.length;
  }
  const slice = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return {
    items: slice,
    nextToken: more
      ? Buffer.from(JSON.stringify({ after: key(slice.at(-1)!) })).toString('base64url')
      : undefined,
  };
}

export function renderSchedule(record: ScheduleRecord): Body {
  return compact({
    ActionAfterCompletion: record.ActionAfterCompletion,
    Arn: record.Arn,
    CreationDate: seconds(record.CreationDate),
    Description: record.Description,
    EndDate: seconds(record.EndDate),
    FlexibleTimeWindow: record.FlexibleTimeWindow,
    GroupName: record.GroupName,
    KmsKeyArn: record.KmsKeyArn,
    LastModificationDate: seconds(record.LastModificationDate),
    Name: record.Name,
    ScheduleExpression: record.ScheduleExpression,
    ScheduleExpressionTimezone: record.ScheduleExpressionTimezone,
    StartDate: seconds(record.StartDate),
    State: record.State,
    Target: record.Target,
  });
}

function renderGroup(group: ScheduleGroupRecord): Body {
  return compact({
    Arn: group.Arn,
    CreationDate: seconds(group.CreationDate),
    LastModificationDate: seconds(group.LastModificationDate),
    Name: group.Name,
    State: group.State,
  });
}

function checkName(name: string, member = 'name'): string {
  return checkString(name, member, { max: 64, pattern: NAME_PATTERN, required: true })!;
}

function checkTags(value: unknown): { Key: string; Value: string }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > 200)
    throw validation('Tags must be a list of at most 200 tags.');
  return value.map((tag, index) => {
    const { Key, Value } = (tag ?? {}) as Body;
    checkString(Key, `tags.${index + 1}.member.key`, { max: 128, required: true });
    checkString(Value, `tags.${index + 1}.member.value`, { min: 0, max: 256, required: true });
    return { Key: Key as string, Value: Value as string };
  });
}

export class SchedulerOperations {
  constructor(
    private readonly store: SchedulerStore,
    private readonly clock: EmulatorClock,
    private readonly timers: ScheduleTimers,
  ) {}

  CreateSchedule(name: string, body: Body): Body {
    const now = this.clock.now().getTime();
    const fields = scheduleFields(name, body, now);
    this.requireGroup(fields.GroupName);
    if (this.store.getSchedule(fields.GroupName, name)) {
      throw new SchedulerServiceError('ConflictException', `Schedule ${name} already exists.`);
    }
    const record: ScheduleRecord = {
      ...fields,
      Arn: this.store.scheduleArn(fields.GroupName, name),
      CreationDate: now,
      LastModificationDate: now,
      revision: 1,
      rateAnchor: Math.floor(now / 1000) * 1000,
    };
    this.store.putSchedule(record);
    // From the current second, so a rate schedule without StartDate fires at once, as AWS's does.
    this.timers.arm(record, record.rateAnchor - 1);
    return { ScheduleArn: record.Arn };
  }

  /** Replaces the schedule (omitted optional fields take their defaults, as on AWS). */
  UpdateSchedule(name: string, body: Body): Body {
    const now = this.clock.now().getTime();
    const fields = scheduleFields(name, body, now);
    this.requireGroup(fields.GroupName);
    const existing = this.store.getSchedule(fields.GroupName, name);
    if (!existing) throw scheduleNotFound(name);
    const rateRestarts =
      existing.ScheduleExpression !== fields.ScheduleExpression || existing.StartDate !== fields.StartDate;
    const record: ScheduleRecord = {
      ...fields,
      Arn: existing.Arn,
      CreationDate: existing.CreationDate,
      LastModificationDate: now,
      revision: existing.revision + 1,
      rateAnchor: rateRestarts ? Math.floor(now / 1000) * 1000 : existing.rateAnchor,
      ...(existing.lastFiredSlot === undefined ? {} : { lastFiredSlot: existing.lastFiredSlot }),
    };
    this.store.putSchedule(record);
    this.timers.arm(record, Math.floor(now / 1000) * 1000 - 1);
    return { ScheduleArn: record.Arn };
  }

  GetSchedule(name: string, groupName: string | undefined): Body {
    return renderSchedule(this.requireSchedule(name, groupName));
  }

  DeleteSchedule(name: string, groupName: string | undefined): Body {
    const record = this.requireSchedule(name, groupName);
    this.timers.cancel(record.Arn);
    this.store.deleteSchedule(record.GroupName, record.Name);
    return {};
  }

  ListSchedules(query: Body): Body {
    const group = checkString(query.ScheduleGroup, 'groupName', { max: 64, pattern: NAME_PATTERN });
    const prefix = checkString(query.NamePrefix, 'namePrefix', { max: 64, pattern: NAME_PATTERN });
    const state = query.State;
    if (state !== undefined && state !== 'ENABLED' && state !== 'DISABLED') {
      throw validation(
        `1 validation error detected: Value '${String(state)}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]`,
      );
    }
    const schedules = this.store
      .listSchedules()
      .filter((record) => group === undefined || record.GroupName === group)
      .filter((record) => prefix === undefined || record.Name.startsWith(prefix))
      .filter((record) => state === undefined || record.State === state);
    const { items, nextToken } = page(
      schedules,
      (record) => `${record.GroupName}~${record.Name}`,
      query.MaxResults,
      query.NextToken,
    );
    return compact({
      Schedules: items.map((record) =>
        compact({
          Arn: record.Arn,
          CreationDate: seconds(record.CreationDate),
          GroupName: record.GroupName,
          LastModificationDate: seconds(record.LastModificationDate),
          Name: record.Name,
          State: record.State,
          Target: { Arn: record.Target.Arn },
        }),
      ),
      NextToken: nextToken,
    });
  }

  CreateScheduleGroup(name: string, body: Body): Body {
    checkName(name);
    checkString(body.ClientToken, 'clientToken', { max: 64, pattern: /^[a-zA-Z0-9-_]+$/ });
    if (this.store.getGroup(name)) {
      throw new SchedulerServiceError('ConflictException', `Schedule group ${name} already exists.`);
    }
    const now = this.clock.now().getTime();
    const group: ScheduleGroupRecord = {
      Arn: this.store.groupArn(name),
      Name: name,
      State: 'ACTIVE',
      CreationDate: now,
      LastModificationDate: now,
      Tags: checkTags(body.Tags),
    };
    this.store.putGroup(group);
    return { ScheduleGroupArn: group.Arn };
  }

  GetScheduleGroup(name: string): Body {
    return renderGroup(this.requireGroup(checkName(name)));
  }

  /** Deletes the group and its schedules (AWS does it asynchronously, DELETING; here at once). */
  DeleteScheduleGroup(name: string): Body {
    checkName(name);
    if (name === DEFAULT_GROUP) throw validation('The default schedule group cannot be deleted.');
    this.requireGroup(name);
    for (const record of this.store.listSchedules()) {
      if (record.GroupName === name) this.timers.cancel(record.Arn);
    }
    this.store.deleteGroup(name);
    return {};
  }

  ListScheduleGroups(query: Body): Body {
    const prefix = checkString(query.NamePrefix, 'namePrefix', { max: 64, pattern: NAME_PATTERN });
    const groups = this.store
      .listGroups()
      .filter((group) => prefix === undefined || group.Name.startsWith(prefix));
    const { items, nextToken } = page(groups, (group) => group.Name, query.MaxResults, query.NextToken);
    return compact({ ScheduleGroups: items.map(renderGroup), NextToken: nextToken });
  }

  ListTagsForResource(arn: string): Body {
    return { Tags: this.groupByArn(arn).Tags };
  }

  TagResource(arn: string, body: Body): Body {
    const group = this.groupByArn(arn);
    const tags = new Map(group.Tags.map((tag) => [tag.Key, tag.Value]));
    for (const tag of checkTags(body.Tags)) tags.set(tag.Key, tag.Value);
    this.store.putGroup({ ...group, Tags: [...tags].map(([Key, Value]) => ({ Key, Value })) });
    return {};
  }

  UntagResource(arn: string, keys: string[]): Body {
    const group = this.groupByArn(arn);
    this.store.putGroup({ ...group, Tags: group.Tags.filter((tag) => !keys.includes(tag.Key)) });
    return {};
  }

  private requireGroup(name: string): ScheduleGroupRecord {
    const group = this.store.getGroup(name);
    if (!group) throw groupNotFound(name);
    return group;
  }

  private requireSchedule(name: string, groupName: string | undefined): ScheduleRecord {
    checkName(name);
    const group = checkString(groupName, 'groupName', { max: 64, pattern: NAME_PATTERN }) ?? DEFAULT_GROUP;
    this.requireGroup(group);
    const record = this.store.getSchedule(group, name);
    if (!record) throw scheduleNotFound(name);
    return record;
  }

  /** Tags apply to schedule groups (the API's only taggable resource). */
  private groupByArn(arn: string): ScheduleGroupRecord {
    const name = /^arn:aws[\w-]*:scheduler:[^:]*:\d{12}:schedule-group\/([0-9a-zA-Z-_.]+)$/.exec(arn)?.[1];
    const group = name === undefined ? undefined : this.store.getGroup(name);
    if (!group || group.Arn !== arn || group.Name === DEFAULT_GROUP) {
      throw new SchedulerServiceError('ResourceNotFoundException', `Resource ${arn} does not exist.`);
    }
    return group;
  }
}
