/** A stage's serverless.yml params as osls resolves them: the stage's own over `default`. */
import { loadServerlessConfig } from '../../../local/serverless-config.js';

const withStage = (value: unknown, stage: string): unknown => {
  if (typeof value === 'string') return value.replaceAll(`\${sls:stage}`, stage);
  if (Array.isArray(value)) return value.map((item) => withStage(item, stage));
  return value;
};

export function stageParams(stage: string): Record<string, unknown> {
  const { params = {} } = loadServerlessConfig();
  const merged = { ...params.default, ...params[stage] };
  return Object.fromEntries(Object.entries(merged).map(([name, value]) => [name, withStage(value, stage)]));
}
