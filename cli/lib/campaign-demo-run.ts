/** The campaign demo's run: start, deploy, seed, schedule both campaigns a few emulated minutes ahead, follow. */
import { startLocalAws } from '../../emulator/index.js';
import { deployProject, scheduleProjectCampaigns } from '../../local/deploy-local.js';
import { createCliContext, resolveConfig } from '../context.js';
import { RunUnsuccessfulError } from '../errors.js';
import { type CliIo, println } from '../io.js';
import {
  demoRestoreCampaign,
  demoTaggingCampaign,
  followScheduledRun,
  renderCampaignEvents,
  seedCampaignDemo,
} from './campaign-demo.js';

const minuteMs = 60_000;

export async function runCampaignDemo(io: CliIo, timeScale: number): Promise<void> {
  const out = io.stdout;
  const started = Date.now();
  const aws = await startLocalAws({ inMemory: true, port: 0, timeScale });
  try {
    const project = await deployProject(aws);
    seedCampaignDemo(aws);
    // The next whole minute plus ten, and five more for the restore campaign: emulated minutes, a fraction
    // of a real second each at the default scale, far enough ahead that the schedules exist before.
    const now = aws.clock.now().getTime();
    const taggingSlot = new Date(Math.ceil(now / minuteMs) * minuteMs + 10 * minuteMs);
    const restoreSlot = new Date(taggingSlot.getTime() + 5 * minuteMs);
    const tagging = demoTaggingCampaign(taggingSlot);
    const restore = demoRestoreCampaign(restoreSlot);
    scheduleProjectCampaigns(aws, project, [tagging, restore]);
    println(
      out,
      `Local AWS on ${aws.url} (in memory, time ×${timeScale}); emulated time ${new Date(now).toISOString()}.`,
    );
    println(
      out,
      `Scheduled ${tagging.name}: ${tagging.schedule.expression} UTC, next ${taggingSlot.toISOString()}`,
    );
    println(
      out,
      `Scheduled ${restore.name}: ${restore.schedule.expression} UTC, next ${restoreSlot.toISOString()}`,
    );
    println(out);

    const ctx = createCliContext(
      resolveConfig({ endpoint: aws.url, stage: project.stage, accountId: aws.accountId }, io.env),
      io,
    );
    const outcomes = [
      await followScheduledRun(ctx, aws, tagging, taggingSlot),
      await followScheduledRun(ctx, aws, restore, restoreSlot),
    ];
    println(out);
    println(out, `Campaign events on ${project.busName}:`);
    println(out, renderCampaignEvents(aws, project.busName));
    println(out);
    println(out, `Campaign demo finished in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    if (outcomes.some((outcome) => outcome !== 'Succeeded')) {
      throw new RunUnsuccessfulError(`a demo campaign did not succeed: ${outcomes.join(', ')}`);
    }
  } finally {
    await aws.stop();
  }
}
