import { resolveCampaign } from '../src/core/campaign/resolve-campaign.js';
import { validateResolveCampaignInput } from '../src/generated/validators.js';
import { s3Objects } from '../src/runtime/adapters.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler(
    'resolve-campaign',
    runtime,
    validateResolveCampaignInput,
    { objects: s3Objects },
    (event, deps) =>
      resolveCampaign({ objects: deps.objects(), config: deps.config, clock: deps.clock }, event),
  );

export const handler = createHandler(awsRuntime());
