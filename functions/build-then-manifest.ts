import { buildThenManifest } from '../src/core/restore-phase/then-manifest.js';
import { validateBuildThenManifestInput } from '../src/generated/validators.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler('build-then-manifest', runtime, validateBuildThenManifestInput, (event, deps) =>
    buildThenManifest({ objects: deps.objects(), stateBucket: deps.config.stateBucket }, event.state),
  );

export const handler = createHandler(awsRuntime());
