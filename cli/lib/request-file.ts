/**
 * Reads a job request file and validates it (schemas/job-request.schema.json + cross-field rules, the
 * policy's included), as SubmitJob will: a request `validate` accepts is not rejected by the workflow.
 */
import { validatePolicy } from '../../src/core/policy/policy-settings.js';
import { parseJobRequest } from '../../src/core/request-validation.js';
import type { JobRequest } from '../../src/generated/types.js';
import { readJsonFile } from './json-file.js';

export interface JobRequestFile {
  /** The request with the schema's defaults filled in: what the workflow will act on. */
  request: JobRequest;
  /**
   * The file's JSON exactly as written: what `run`/`start` send. SubmitJob validates its input again,
   * and some rules look at what the user wrote, not at the defaults (manifest.fields is refused for
   * inventory manifests, yet the schema fills it in), so a filled-in copy could be rejected there.
   */
  asWritten: object;
}

/**
 * An unreadable file or bad JSON is a CliUsageError; an invalid request is the RequestValidationError
 * naming the field. Both exit 2 before anything starts.
 */
export async function readJobRequestFile(path: string): Promise<JobRequestFile> {
  const json = await readJsonFile(path, 'request file');
  // parseJobRequest works on a copy and rejects anything but an object, so `json` stays as written.
  const request = parseJobRequest(json);
  // The policy's own rules (rates in order, lowered priority below the job's…) are checked by SubmitJob,
  // not by parseJobRequest: check them here too, so nothing is started that the workflow would reject.
  validatePolicy(request.policy, request.priority);
  return { request, asWritten: json as object };
}
