import { randomUUID } from 'node:crypto';
import { assertValidName, assertValidRoleArn, parseStateMachineArn, stateMachineArn } from './arns.js';
import { parseDefinition } from './definition.js';
import { missingParameter, SfnServiceError, stateMachineDoesNotExist } from './errors.js';
import { epochSeconds, paginate } from './paging.js';
import {
  type Body,
  compact,
  type Operation,
  optionalString,
  requireString,
  type ServiceContext,
} from './service-context.js';
import type { StateMachineRecord } from './store.js';

const DEFAULT_LOGGING = { level: 'OFF', includeExecutionData: false };
const DEFAULT_TRACING = { enabled: false };

/** The state machine an ARN names in this region and account, or StateMachineDoesNotExist. */
export function findStateMachine(ctx: ServiceContext, arn: string): StateMachineRecord {
  const parsed = parseStateMachineArn(arn);
  const record = ctx.store.machines.get(parsed.name);
  if (!record || parsed.region !== ctx.region || parsed.accountId !== ctx.accountId)
    throw stateMachineDoesNotExist(arn);
  return record;
}

function parseTags(value: unknown): { key: string; value: string }[] {
  if (!Array.isArray(value)) return [];
  return value.map((tag: { key?: unknown; value?: unknown }) => ({
    key: String(tag.key),
    value: String(tag.value ?? ''),
  }));
}

export function stateMachineOperations(ctx: ServiceContext): Record<string, Operation> {
  const { store, clock } = ctx;

  /**
   * Idempotent as AWS documents it: the same name with the same definition, role and type returns the
   * existing machine; any difference is StateMachineAlreadyExists.
   */
  const CreateStateMachine: Operation = (body) => {
    const name = requireString(body, 'name');
    const definition = requireString(body, 'definition');
    const roleArn = requireString(body, 'roleArn');
    const type = (optionalString(body, 'type') ?? 'STANDARD') as StateMachineRecord['type'];
    assertValidName(name);
    if (type !== 'STANDARD' && type !== 'EXPRESS')
      throw new SfnServiceError('ValidationException', `Invalid type: ${type}`);
    parseDefinition(definition);
    assertValidRoleArn(roleArn);
    const arn = stateMachineArn(ctx, name);
    const existing = store.machines.get(name);
    if (existing) {
      if (existing.definition === definition && existing.roleArn === roleArn && existing.type === type) {
        return { stateMachineArn: arn, creationDate: epochSeconds(existing.creationDate) };
      }
      throw new SfnServiceError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const record: StateMachineRecord = {
      stateMachineArn: arn,
      name,
      definition,
      roleArn,
      type,
      creationDate: clock.now().getTime(),
      revisionId: randomUUID(),
      tags: parseTags(body.tags),
      ...(body.loggingConfiguration ? { loggingConfiguration: body.loggingConfiguration } : {}),
      ...(body.tracingConfiguration ? { tracingConfiguration: body.tracingConfiguration } : {}),
    };
    store.putMachine(record);
    return { stateMachineArn: arn, creationDate: epochSeconds(record.creationDate) };
  };

  /** Running executions keep the definition they started with (each stores its own copy). */
  const UpdateStateMachine: Operation = (body) => {
    const record = findStateMachine(ctx, requireString(body, 'stateMachineArn'));
    const definition = optionalString(body, 'definition');
    const roleArn = optionalString(body, 'roleArn');
    if (
      definition === undefined &&
      roleArn === undefined &&
      !body.loggingConfiguration &&
      !body.tracingConfiguration
    ) {
      throw missingParameter('definition, roleArn, loggingConfiguration or tracingConfiguration');
    }
    if (definition !== undefined) parseDefinition(definition);
    if (roleArn !== undefined) assertValidRoleArn(roleArn);
    const updated: StateMachineRecord = {
      ...record,
      ...(definition === undefined ? {} : { definition }),
      ...(roleArn === undefined ? {} : { roleArn }),
      ...(body.loggingConfiguration ? { loggingConfiguration: body.loggingConfiguration } : {}),
      ...(body.tracingConfiguration ? { tracingConfiguration: body.tracingConfiguration } : {}),
      updateDate: clock.now().getTime(),
      revisionId: randomUUID(),
    };
    store.putMachine(updated);
    return { updateDate: epochSeconds(updated.updateDate), revisionId: updated.revisionId };
  };

  const DescribeStateMachine: Operation = (body) => {
    const record = findStateMachine(ctx, requireString(body, 'stateMachineArn'));
    return compact({
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: 'ACTIVE',
      definition: record.definition,
      roleArn: record.roleArn,
      type: record.type,
      creationDate: epochSeconds(record.creationDate),
      loggingConfiguration: record.loggingConfiguration ?? DEFAULT_LOGGING,
      tracingConfiguration: record.tracingConfiguration ?? DEFAULT_TRACING,
      revisionId: record.revisionId,
    });
  };

  const ListStateMachines: Operation = (body) => {
    const machines = [...store.machines.values()].sort((a, b) => a.name.localeCompare(b.name));
    const { page, nextToken } = paginate(machines, body.maxResults, body.nextToken, 'state-machines');
    return compact({
      stateMachines: page.map((record) => ({
        stateMachineArn: record.stateMachineArn,
        name: record.name,
        type: record.type,
        creationDate: epochSeconds(record.creationDate),
      })),
      nextToken,
    });
  };

  /** Deleting is idempotent; running executions finish on the definition they started with. */
  const DeleteStateMachine: Operation = (body) => {
    const arn = requireString(body, 'stateMachineArn');
    const parsed = parseStateMachineArn(arn);
    if (parsed.region === ctx.region && parsed.accountId === ctx.accountId) store.deleteMachine(parsed.name);
    return {};
  };

  const ListTagsForResource: Operation = (body) => {
    const record = findStateMachine(ctx, requireString(body, 'resourceArn'));
    return { tags: record.tags } as Body;
  };

  return {
    CreateStateMachine,
    UpdateStateMachine,
    DescribeStateMachine,
    ListStateMachines,
    DeleteStateMachine,
    ListTagsForResource,
  };
}
