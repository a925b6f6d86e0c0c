import { summarizeCampaignTarget } from '../src/core/campaign/summarize-target.js';
import { validateSummarizeCampaignTargetInput } from '../src/generated/validators.js';
import { awsRuntime, type HandlerRuntime, lambdaHandler } from '../src/runtime/handler.js';

export const createHandler = (runtime: HandlerRuntime) =>
  lambdaHandler(
    'summarize-campaign-target',
    runtime,
    validateSummarizeCampaignTargetInput,
    {},
    async (event) => summarizeCampaignTarget(event),
  );

export const handler = createHandler(awsRuntime());
