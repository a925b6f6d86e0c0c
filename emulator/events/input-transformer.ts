/**
 * What a target receives: the whole event, a constant `Input`, the part selected by `InputPath`, or an
 * `InputTransformer` rendering ("Amazon EventBridge input transformation" in the user guide).
 *
 * Template rendering mirrors AWS:
 * - A placeholder outside a JSON string is replaced by the value's JSON (`<status>` → `"running"`, objects
 *   as JSON, a missing path as `null`).
 * - A placeholder inside a JSON string (`"state is <status>"`) is replaced by the text of the value, escaped
 *   for the string it sits in (strings without their quotes, other values as their JSON text; a missing path
 *   as the empty string).
 * - A template that is not JSON (`<instance> is in state <status>`) gets the raw text of each value.
 * - Reserved variables: `aws.events.rule-arn`, `aws.events.rule-name`, `aws.events.event.ingestion-time`, and
 *   `aws.events.event` (the event without `detail`) / `aws.events.event.json` (the whole event), both inserted
 *   unescaped, so AWS only allows them as JSON values.
 * Placeholders not defined in InputPathsMap are left as written.
 */
import type { InputTransformerRecord, TargetRecord } from './store.js';

export interface EventEnvelope {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
  [other: string]: unknown;
}

export interface TransformContext {
  ruleArn: string;
  ruleName: string;
  ingestionTime: string;
}

/** The text EventBridge sends to the target. */
export function renderTargetInput(
  target: TargetRecord,
  event: EventEnvelope,
  context: TransformContext,
): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return JSON.stringify(selectJsonPath(event, target.InputPath) ?? null);
  if (target.InputTransformer !== undefined)
    return renderInputTemplate(target.InputTransformer, event, context);
  return JSON.stringify(event);
}

export function renderInputTemplate(
  transformer: InputTransformerRecord,
  event: EventEnvelope,
  context: TransformContext,
): string {
  const values = new Map<string, { value: unknown; raw?: string }>();
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) {
    values.set(name, { value: selectJsonPath(event, path) });
  }
  const { detail: _detail, ...withoutDetail } = event;
  values.set('aws.events.rule-arn', { value: context.ruleArn });
  values.set('aws.events.rule-name', { value: context.ruleName });
  values.set('aws.events.event.ingestion-time', { value: context.ingestionTime });
  values.set('aws.events.event', { value: withoutDetail, raw: JSON.stringify(withoutDetail) });
  values.set('aws.events.event.json', { value: event, raw: JSON.stringify(event) });

  const template = transformer.InputTemplate;
  const jsonTemplate = /^\s*[[{"]/.test(template);
  let output = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const char = template[i]!;
    if (char === '<') {
      const end = template.indexOf('>', i + 1);
      const name = end > i ? template.slice(i + 1, end) : undefined;
      const entry = name === undefined ? undefined : values.get(name);
      if (entry) {
        output += renderValue(
          entry.value,
          entry.raw,
          jsonTemplate ? (inString ? 'in-string' : 'json') : 'text',
        );
        i = end;
        continue;
      }
    }
    if (jsonTemplate && char === '\\' && inString) {
      output += char + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (jsonTemplate && char === '"') inString = !inString;
    output += char;
  }
  return output;
}

function renderValue(value: unknown, raw: string | undefined, mode: 'json' | 'in-string' | 'text'): string {
  if (raw !== undefined) return raw;
  if (mode === 'json') return JSON.stringify(value ?? null);
  const text = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return mode === 'in-string' ? JSON.stringify(text).slice(1, -1) : text;
}

/**
 * The JSONPath subset EventBridge supports: `$`, dot notation (names may contain dashes), array indices and
 * `*` wildcards (which yield an array). Returns undefined when nothing is selected.
 */
export function selectJsonPath(root: unknown, path: string): unknown {
  const trimmed = path.trim();
  if (!trimmed.startsWith('$')) return undefined;
  const tokens = trimmed.slice(1).match(/\.[^.[\]]+|\[(?:\d+|\*|'[^']*'|"[^"]*")\]/g) ?? [];
  let current: unknown[] = [root];
  let wildcard = false;
  for (const token of tokens) {
    const key = token.startsWith('.') ? token.slice(1) : token.slice(1, -1).replace(/^['"]|['"]$/g, '');
    const next: unknown[] = [];
    for (const item of current) {
      if (key === '*') {
        wildcard = true;
        if (Array.isArray(item)) next.push(...item);
        else if (item && typeof item === 'object') next.push(...Object.values(item));
      } else if (Array.isArray(item) && /^\d+$/.test(key)) {
        if (Number(key) < item.length) next.push(item[Number(key)]);
      } else if (item && typeof item === 'object' && !Array.isArray(item) && Object.hasOwn(item, key)) {
        next.push((item as Record<string, unknown>)[key]);
      }
    }
    current = next;
  }
  if (wildcard) return current.length > 0 ? current : undefined;
  return current[0];
}
