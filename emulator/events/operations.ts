/**
 * EventBridge operations (API reference "Actions"), taking and returning the JSON shapes of the wire protocol.
 * Messages follow what EventBridge answers, so SDK callers see the same exceptions and text.
 */
import { randomUUID } from 'node:crypto';
import type { EmulatorClock, FaultInjector, Storage } from '../contracts.js';
import type { Deliverer } from './delivery.js';
import { EventsServiceError, eventBusNotFound, ruleNotFound, validation } from './errors.js';
import { appendEvent } from './event-log.js';
import type { EventEnvelope } from './input-transformer.js';
import { type CompiledPattern, compileEventPattern, InvalidEventPatternError } from './pattern.js';
import {
  entryProblem,
  entrySize,
  entryTime,
  formatTime,
  PUT_EVENTS_MAX_BYTES,
  PUT_EVENTS_MAX_ENTRIES,
  type PutEventsResultEntry,
} from './put-events-entries.js';
import {
  type Body,
  busName,
  optionalString,
  paginate,
  requireRuleName,
  requireString,
  ruleNameOf,
} from './request-body.js';
import { validateScheduleExpression } from './schedule.js';
import { DEFAULT_BUS, type EventBusRecord, type EventsStore, type RuleRecord } from './store.js';
import { MAX_TARGETS_PER_RULE, validateTarget } from './target-validation.js';

// Re-exported so importers keep one entry point for the operations and their wire shapes.
export {
  formatTime,
  PUT_EVENTS_MAX_BYTES,
  PUT_EVENTS_MAX_ENTRIES,
  type PutEventsResultEntry,
} from './put-events-entries.js';
export { busName } from './request-body.js';

/** Event bus names; `/` is allowed only for partner buses (checked in CreateEventBus). */
const BUS_NAME = /^[/.\-_A-Za-z0-9]+$/;

export interface EventsOperationsOptions {
  storage: Storage;
  store: EventsStore;
  clock: EmulatorClock;
  faults?: FaultInjector;
  deliverer: Deliverer;
  accountId: string;
  region: string;
  random: () => number;
  onRulesChanged: () => void;
}

export class EventsOperations {
  private readonly patterns = new Map<string, CompiledPattern>();

  constructor(private readonly o: EventsOperationsOptions) {}

  CreateEventBus(body: Body) {
    const name = requireString(body, 'Name');
    if (!BUS_NAME.test(name) || name.length > 256) {
      throw validation(`1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint`);
    }
    if (name.includes('/') && !name.startsWith('aws.partner/')) {
      throw validation("Event bus name must not contain '/'.");
    }
    if (this.o.store.getBus(name)) {
      throw new EventsServiceError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
    }
    const now = this.o.clock.now().getTime() / 1000;
    const bus: EventBusRecord = {
      Name: name,
      Arn: this.o.store.busArn(name),
      CreationTime: now,
      LastModifiedTime: now,
      ...(body.Description === undefined ? {} : { Description: String(body.Description) }),
      ...(Array.isArray(body.Tags) ? { Tags: body.Tags } : {}),
    };
    this.o.store.putBus(bus);
    return {
      EventBusArn: bus.Arn,
      ...(bus.Description === undefined ? {} : { Description: bus.Description }),
    };
  }

  DeleteEventBus(body: Body) {
    const name = requireString(body, 'Name');
    if (name === DEFAULT_BUS) throw validation('Cannot delete event bus default.');
    // Deleting a bus that does not exist succeeds, as on AWS.
    this.o.store.deleteBus(name);
    this.o.onRulesChanged();
    return {};
  }

  DescribeEventBus(body: Body) {
    const name = busName(body.Name);
    const bus = this.o.store.getBus(name);
    if (!bus) throw eventBusNotFound(name);
    const { Tags: _tags, ...described } = bus;
    return described;
  }

  ListEventBuses(body: Body) {
    const prefix = optionalString(body, 'NamePrefix') ?? '';
    const buses = this.o.store
      .listBuses()
      .filter((bus) => bus.Name.startsWith(prefix))
      .map(({ Tags: _tags, ...bus }) => bus);
    const page = paginate(buses, body.Limit, body.NextToken);
    return { EventBuses: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
  }

  PutRule(body: Body) {
    const name = requireRuleName(body, 'Name');
    const bus = this.requireBus(body.EventBusName);
    const pattern = optionalString(body, 'EventPattern');
    const schedule = optionalString(body, 'ScheduleExpression');
    if (pattern === undefined && schedule === undefined) {
      throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    }
    if (pattern !== undefined) this.compile(pattern);
    if (schedule !== undefined) {
      if (bus !== DEFAULT_BUS)
        throw validation('ScheduleExpression is supported only on the default event bus.');
      validateScheduleExpression(schedule);
    }
    const state = body.State ?? 'ENABLED';
    if (!['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'].includes(state)) {
      throw validation(
        `1 validation error detected: Value '${state}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]`,
      );
    }
    const existing = this.o.store.getRule(bus, name);
    const rule: RuleRecord = {
      Name: name,
      Arn: this.o.store.ruleArn(bus, name),
      EventBusName: bus,
      State: state,
      CreatedBy: this.o.accountId,
      Targets: existing?.Targets ?? [],
      ...(pattern === undefined ? {} : { EventPattern: pattern }),
      ...(schedule === undefined ? {} : { ScheduleExpression: schedule }),
      ...(body.Description === undefined ? {} : { Description: String(body.Description) }),
      ...(body.RoleArn === undefined ? {} : { RoleArn: String(body.RoleArn) }),
    };
    this.o.store.putRule(rule);
    this.o.onRulesChanged();
    return { RuleArn: rule.Arn };
  }

  DescribeRule(body: Body) {
    const rule = this.requireRule(body.Name, body.EventBusName);
    const { Targets: _targets, ...described } = rule;
    return described;
  }

  DeleteRule(body: Body) {
    const name = requireRuleName(body, 'Name');
    const bus = this.requireBus(body.EventBusName);
    const rule = this.o.store.getRule(bus, name);
    if (!rule) return {};
    if (rule.Targets.length > 0) throw validation("Rule can't be deleted since it has targets.");
    this.o.store.deleteRule(bus, name);
    this.o.onRulesChanged();
    return {};
  }

  ListRules(body: Body) {
    const bus = this.requireBus(body.EventBusName);
    const prefix = optionalString(body, 'NamePrefix') ?? '';
    const rules = this.o.store
      .listRules(bus)
      .filter((rule) => rule.Name.startsWith(prefix))
      .map(({ Targets: _targets, ...rule }) => rule);
    const page = paginate(rules, body.Limit, body.NextToken);
    return { Rules: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
  }

  EnableRule(body: Body) {
    return this.setState(body, 'ENABLED');
  }

  DisableRule(body: Body) {
    return this.setState(body, 'DISABLED');
  }

  PutTargets(body: Body) {
    const rule = this.requireRule(body.Rule, body.EventBusName);
    const targets = body.Targets;
    if (!Array.isArray(targets) || targets.length === 0 || targets.length > 10) {
      throw validation(
        "1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length between 1 and 10",
      );
    }
    const byId = new Map(rule.Targets.map((target) => [target.Id, target]));
    for (const raw of targets as Body[]) {
      const target = validateTarget(raw);
      byId.set(target.Id, target);
    }
    if (byId.size > MAX_TARGETS_PER_RULE) {
      throw new EventsServiceError(
        'LimitExceededException',
        'The requested resource exceeds the maximum number allowed.',
      );
    }
    this.o.store.putRule({ ...rule, Targets: [...byId.values()] });
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  RemoveTargets(body: Body) {
    const rule = this.requireRule(body.Rule, body.EventBusName);
    if (!Array.isArray(body.Ids) || body.Ids.length === 0) {
      throw validation(
        "1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must not be null",
      );
    }
    const ids = new Set<string>(body.Ids);
    this.o.store.putRule({ ...rule, Targets: rule.Targets.filter((target) => !ids.has(target.Id)) });
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  ListTargetsByRule(body: Body) {
    const rule = this.requireRule(body.Rule, body.EventBusName);
    const page = paginate(rule.Targets, body.Limit, body.NextToken);
    return { Targets: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
  }

  TestEventPattern(body: Body) {
    const pattern = requireString(body, 'EventPattern');
    const eventText = requireString(body, 'Event');
    const compiled = this.compile(pattern);
    let event: unknown;
    try {
      event = JSON.parse(eventText);
    } catch {
      throw validation('Parameter Event is not valid.');
    }
    const required = ['id', 'account', 'source', 'time', 'region', 'detail-type'];
    if (typeof event !== 'object' || event === null || required.some((field) => !(field in event))) {
      throw validation('Parameter Event is not valid.');
    }
    return { Result: compiled.matches(event) };
  }

  PutEvents(body: Body) {
    const entries = body.Entries;
    if (!Array.isArray(entries) || entries.length === 0 || entries.length > PUT_EVENTS_MAX_ENTRIES) {
      throw validation(
        "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10",
      );
    }
    return this.putEntries(entries as Body[], this.o.accountId, this.o.region);
  }

  /**
   * Shared by PutEvents and the EventSink. Per AWS: validation problems and injected InternalFailure are per
   * entry (HTTP 200, FailedEntryCount > 0); only the total size fails the whole request. An entry for a bus
   * that does not exist is accepted (it gets an EventId) and silently dropped, exactly as EventBridge does
   * (aws/aws-cli#9186) — it is not written to any log.
   */
  putEntries(entries: Body[], accountId: string, region: string) {
    const total = entries.reduce((sum, entry) => sum + entrySize(entry), 0);
    if (total > PUT_EVENTS_MAX_BYTES)
      throw validation('Total size of the entries in the request is over the limit.');
    const ingestion = this.o.clock.now();
    const results: PutEventsResultEntry[] = entries.map((entry) => {
      const problem = entryProblem(entry);
      if (problem) return problem;
      const failureRate = this.o.faults?.putEventsFailureRate ?? 0;
      if (failureRate > 0 && this.o.random() < failureRate) {
        return { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal Failure' };
      }
      const event: EventEnvelope = {
        version: '0',
        id: randomUUID(),
        'detail-type': String(entry.DetailType),
        source: String(entry.Source),
        account: accountId,
        time: formatTime(entryTime(entry.Time) ?? ingestion),
        region,
        resources: Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
        detail: JSON.parse(entry.Detail),
      };
      this.publish(busName(entry.EventBusName), event, ingestion);
      return { EventId: event.id };
    });
    return { FailedEntryCount: results.filter((result) => result.ErrorCode).length, Entries: results };
  }

  /** Log and deliver an accepted event; a missing bus drops it (see putEntries). */
  publish(bus: string, event: EventEnvelope, ingestion: Date): void {
    if (!this.o.store.getBus(bus)) return;
    appendEvent(this.o.storage, bus, event);
    for (const rule of this.o.store.listRules(bus)) {
      if (rule.State === 'DISABLED' || rule.EventPattern === undefined || rule.Targets.length === 0) continue;
      if (this.compile(rule.EventPattern).matches(event))
        this.o.deliverer.deliver(event, rule, ingestion.toISOString());
    }
  }

  private setState(body: Body, state: 'ENABLED' | 'DISABLED') {
    const rule = this.requireRule(body.Name, body.EventBusName);
    this.o.store.putRule({ ...rule, State: state });
    this.o.onRulesChanged();
    return {};
  }

  private requireBus(value: unknown): string {
    const name = busName(value);
    if (!this.o.store.getBus(name)) throw eventBusNotFound(name);
    return name;
  }

  private requireRule(nameValue: unknown, busValue: unknown): RuleRecord {
    if (typeof nameValue !== 'string' || nameValue === '') throw validation('Rule name must be specified.');
    const bus = this.requireBus(busValue);
    const rule = this.o.store.getRule(bus, ruleNameOf(nameValue));
    if (!rule) throw ruleNotFound(ruleNameOf(nameValue), bus);
    return rule;
  }

  private compile(pattern: string): CompiledPattern {
    let compiled = this.patterns.get(pattern);
    if (!compiled) {
      try {
        compiled = compileEventPattern(pattern);
      } catch (error) {
        if (error instanceof InvalidEventPatternError) {
          throw new EventsServiceError('InvalidEventPatternException', error.message);
        }
        throw error;
      }
      this.patterns.set(pattern, compiled);
    }
    return compiled;
  }
}
