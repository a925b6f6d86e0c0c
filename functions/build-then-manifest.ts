import { buildThenManifest } from '../src/core/restore-phase/then-manifest.js';
import { validateBuildThenManifestInput } from '../src/generated/validators.js';
import { s3Objects } from '../src/runtime/adapters.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler(
    'build-then-manifest',
    runtime,
    validateBuildThenManifestInput,
    { objects: s3Objects },
    (event, deps) =>
      buildThenManifest({ objects: deps.objects(), stateBucket: deps.config.stateBucket }, event.state),
  );

export const handler = createHandler(awsRuntime());
