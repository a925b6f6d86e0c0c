/**
 * EventBridge Scheduler state in Storage: one document per schedule (`scheduler/schedules`) and per schedule
 * group (`scheduler/groups`). The `default` group is never stored: it always exists.
 */
import type { Storage } from '../contracts.js';
import { DEFAULT_GROUP, type ScheduleGroupRecord, type ScheduleRecord } from './model.js';

const SCHEDULES = 'scheduler/schedules';
const GROUPS = 'scheduler/groups';

/** Names are `[0-9a-zA-Z-_.]`, so `~` cannot occur in either part. */
const scheduleId = (group: string, name: string) => `${group}~${name}`;

export class SchedulerStore {
  constructor(
    private readonly storage: Storage,
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  scheduleArn(group: string, name: string): string {
    return `arn:aws:scheduler:${this.region}:${this.accountId}:schedule/${group}/${name}`;
  }

  groupArn(name: string): string {
    return `arn:aws:scheduler:${this.region}:${this.accountId}:schedule-group/${name}`;
  }

  getSchedule(group: string, name: string): ScheduleRecord | undefined {
    return this.storage.getDoc<ScheduleRecord>(SCHEDULES, scheduleId(group, name));
  }

  /** Every schedule, in group then name order. */
  listSchedules(): ScheduleRecord[] {
    return this.storage
      .listDocs<ScheduleRecord>(SCHEDULES)
      .sort((a, b) => a.GroupName.localeCompare(b.GroupName) || a.Name.localeCompare(b.Name));
  }

  putSchedule(record: ScheduleRecord): void {
    this.storage.putDoc(SCHEDULES, scheduleId(record.GroupName, record.Name), record);
  }

  deleteSchedule(group: string, name: string): void {
    this.storage.deleteDoc(SCHEDULES, scheduleId(group, name));
  }

  getGroup(name: string): ScheduleGroupRecord | undefined {
    if (name === DEFAULT_GROUP) return this.defaultGroup();
    return this.storage.getDoc<ScheduleGroupRecord>(GROUPS, name);
  }

  listGroups(): ScheduleGroupRecord[] {
    const custom = this.storage.listDocs<ScheduleGroupRecord>(GROUPS);
    return [this.defaultGroup(), ...custom].sort((a, b) => a.Name.localeCompare(b.Name));
  }

  putGroup(group: ScheduleGroupRecord): void {
    if (group.Name === DEFAULT_GROUP) return;
    this.storage.putDoc(GROUPS, group.Name, group);
  }

  deleteGroup(name: string): void {
    for (const schedule of this.listSchedules()) {
      if (schedule.GroupName === name) this.deleteSchedule(name, schedule.Name);
    }
    this.storage.deleteDoc(GROUPS, name);
  }

  private defaultGroup(): ScheduleGroupRecord {
    return { Arn: this.groupArn(DEFAULT_GROUP), Name: DEFAULT_GROUP, State: 'ACTIVE', Tags: [] };
  }
}
