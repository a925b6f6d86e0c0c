/** PutTargets: validation of one target as EventBridge performs it. */
import { validation } from './errors.js';
import { type Body, NAME } from './request-body.js';
import type { TargetRecord } from './store.js';

/** "Amazon EventBridge quotas": targets per rule. */
export const MAX_TARGETS_PER_RULE = 5;

export function validateTarget(raw: Body): TargetRecord {
  const id = raw.Id;
  if (typeof id !== 'string' || !NAME.test(id) || id.length > 64) {
    throw validation(
      `1 validation error detected: Value '${String(id)}' at 'targets.1.member.id' failed to satisfy constraint`,
    );
  }
  if (typeof raw.Arn !== 'string' || raw.Arn === '') {
    throw validation(
      "1 validation error detected: Value null at 'targets.1.member.arn' failed to satisfy constraint",
    );
  }
  const inputs = ['Input', 'InputPath', 'InputTransformer'].filter((key) => raw[key] !== undefined);
  if (inputs.length > 1)
    throw validation('Only one of Input, InputPath, or InputTransformer must be provided.');
  if (raw.Input !== undefined) {
    try {
      JSON.parse(raw.Input);
    } catch {
      throw validation(`Input for target ${id} must be valid JSON text.`);
    }
  }
  if (raw.InputTransformer !== undefined) {
    const transformer = raw.InputTransformer as Body;
    if (typeof transformer.InputTemplate !== 'string') {
      throw validation(
        "1 validation error detected: Value null at 'inputTemplate' failed to satisfy constraint",
      );
    }
    for (const key of Object.keys(transformer.InputPathsMap ?? {})) {
      if (key.startsWith('aws.')) throw validation(`InputTransformer key ${key} is reserved.`);
    }
  }
  return { ...raw, Id: id, Arn: raw.Arn } as TargetRecord;
}
