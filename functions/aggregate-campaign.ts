import { aggregateCampaign } from '../src/core/campaign/aggregate-campaign.js';
import { validateAggregateCampaignInput } from '../src/generated/validators.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler('aggregate-campaign', runtime, validateAggregateCampaignInput, {}, async (event) =>
    aggregateCampaign(event),
  );

export const handler = createHandler(awsRuntime());
