import { claimCampaignRun } from '../src/core/campaign/claim-run.js';
import { validateClaimCampaignRunInput } from '../src/generated/validators.js';
import { s3Objects } from '../src/runtime/adapters.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler(
    'claim-campaign-run',
    runtime,
    validateClaimCampaignRunInput,
    { objects: s3Objects },
    (event, deps) =>
      claimCampaignRun(
        { objects: deps.objects(), stateBucket: deps.config.stateBucket, clock: deps.clock },
        event,
      ),
  );

export const handler = createHandler(awsRuntime());
