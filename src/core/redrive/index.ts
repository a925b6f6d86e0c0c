/** Redrive: rerun the qualifying failed tasks of a finished job as a new job, chained to it. */
export { type AggregateOptions, aggregateAttempts } from './aggregate.js';
export {
  compileRedriveMatcher,
  defaultRedriveErrorCodes,
  type EligibilityFields,
  isRedrivable,
  type RedriveMatcher,
  redriveErrorCodes,
} from './eligibility.js';
export { decideRedrive, type RedriveDecision, type RedriveInput } from './redrive.js';
export {
  missingVersionId,
  type RedriveManifest,
  type RedriveManifestField,
  type WriteRedriveManifestInput,
  writeRedriveManifest,
} from './redrive-manifest.js';
export {
  buildRedriveRequest,
  parentJobIdTagKey,
  type RedriveManifestRef,
  redriveFolderName,
  redriveManifestKey,
} from './redrive-request.js';
