/**
 * Campaign files: `campaigns/<name>.json` in the project (what the stage deploys), or any file a user names.
 * Validated exactly as the campaign workflow's ResolveTargets validates them (src/core/campaign/), so a file
 * `campaign validate` accepts is not rejected when it runs.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ParsedCampaign, parseCampaign } from '../../src/core/campaign/parse-campaign.js';
import { CliUsageError } from '../errors.js';
import { readJsonFile } from './json-file.js';

/** The project's campaigns/ folder (the one serverless.yml deploys schedules from). */
export const projectCampaignsDir = fileURLToPath(new URL('../../campaigns/', import.meta.url));

export interface CampaignFile extends ParsedCampaign {
  path: string;
  /** The JSON as written: what a run sends (the workflow fills in the defaults itself). */
  asWritten: object;
}

const campaignName = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** A name (`weekly-tagging`) is looked up in `dir`; anything with a `/` or ending in `.json` is a path. */
export function campaignPath(nameOrFile: string, dir = projectCampaignsDir): string {
  if (nameOrFile.includes('/') || nameOrFile.endsWith('.json')) return nameOrFile;
  if (!campaignName.test(nameOrFile)) {
    throw new CliUsageError(
      `${JSON.stringify(nameOrFile)} is neither a campaign name (lowercase letters, digits, -) nor a .json file`,
    );
  }
  return join(dir, `${nameOrFile}.json`);
}

/** Reads and validates one campaign: a usage error for the file, a RequestValidationError for its content. */
export async function readCampaignFile(path: string): Promise<CampaignFile> {
  const json = await readJsonFile(path, 'campaign file');
  return { ...parseCampaign(json), path, asWritten: json as object };
}

/** Every `*.json` in `dir`, in name order (the folder's other files, like schedules.cjs, are not campaigns). */
export async function listCampaignFiles(dir = projectCampaignsDir): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (cause) {
    throw new CliUsageError(
      `cannot read the campaigns folder ${dir} (${(cause as { code?: string }).code})`,
      {
        cause,
      },
    );
  }
  return names
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(dir, name));
}
