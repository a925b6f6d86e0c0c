/**
 * EventBridge state in Storage: one document per bus (`events/buses`) and one per rule (`events/rules`, targets
 * kept inside the rule they belong to, as AWS scopes them). The `default` bus is never stored: it always exists.
 */
import type { Storage } from '../contracts.js';

export const DEFAULT_BUS = 'default';
const BUSES = 'events/buses';
const RULES = 'events/rules';

export interface EventBusRecord {
  Name: string;
  Arn: string;
  Description?: string;
  CreationTime: number;
  LastModifiedTime: number;
  Tags?: { Key: string; Value: string }[];
}

export interface InputTransformerRecord {
  InputPathsMap?: Record<string, string>;
  InputTemplate: string;
}

export interface TargetRecord {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: InputTransformerRecord;
  /** Other target settings (RetryPolicy, DeadLetterConfig, SqsParameters, …) are stored and echoed, not acted on. */
  [other: string]: unknown;
}

export interface RuleRecord {
  Name: string;
  Arn: string;
  EventBusName: string;
  EventPattern?: string;
  ScheduleExpression?: string;
  State: 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
  Description?: string;
  RoleArn?: string;
  CreatedBy: string;
  Targets: TargetRecord[];
}

export class EventsStore {
  constructor(
    private readonly storage: Storage,
    private readonly accountId: string,
    private readonly region: string,
  ) {}

  busArn(name: string): string {
    return `arn:aws:events:${this.region}:${this.accountId}:event-bus/${name}`;
  }

  ruleArn(bus: string, rule: string): string {
    const path = bus === DEFAULT_BUS ? rule : `${bus}/${rule}`;
    return `arn:aws:events:${this.region}:${this.accountId}:rule/${path}`;
  }

  getBus(name: string): EventBusRecord | undefined {
    if (name === DEFAULT_BUS) return this.defaultBus();
    return this.storage.getDoc<EventBusRecord>(BUSES, docId(name));
  }

  listBuses(): EventBusRecord[] {
    const custom = this.storage.listDocs<EventBusRecord>(BUSES);
    return [this.defaultBus(), ...custom].sort((a, b) => a.Name.localeCompare(b.Name));
  }

  putBus(bus: EventBusRecord): void {
    this.storage.putDoc(BUSES, docId(bus.Name), bus);
  }

  deleteBus(name: string): void {
    for (const rule of this.listRules(name)) this.deleteRule(name, rule.Name);
    this.storage.deleteDoc(BUSES, docId(name));
  }

  getRule(bus: string, name: string): RuleRecord | undefined {
    return this.storage.getDoc<RuleRecord>(RULES, ruleId(bus, name));
  }

  listRules(bus: string): RuleRecord[] {
    return this.storage
      .listDocs<RuleRecord>(RULES)
      .filter((rule) => rule.EventBusName === bus)
      .sort((a, b) => a.Name.localeCompare(b.Name));
  }

  putRule(rule: RuleRecord): void {
    this.storage.putDoc(RULES, ruleId(rule.EventBusName, rule.Name), rule);
  }

  deleteRule(bus: string, name: string): void {
    this.storage.deleteDoc(RULES, ruleId(bus, name));
  }

  private defaultBus(): EventBusRecord {
    return { Name: DEFAULT_BUS, Arn: this.busArn(DEFAULT_BUS), CreationTime: 0, LastModifiedTime: 0 };
  }
}

/** Ids become file names in a directory-backed store: keep them free of `/`. */
function docId(name: string): string {
  return encodeURIComponent(name);
}

function ruleId(bus: string, rule: string): string {
  return `${encodeURIComponent(bus)}~${encodeURIComponent(rule)}`;
}
