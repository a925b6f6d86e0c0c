import { describe, expect, it } from 'vitest';
import { estimateJobCost } from '../../src/core/cost/estimate.js';
import { harnessPerTest, seededManifest, taggingRequest } from './harness.js';

const harnesses = harnessPerTest();

/** What the 20-object tagging job below is estimated to cost, from the same price table SubmitJob uses. */
const estimateOf20 = estimateJobCost({
  operation: taggingRequest(seededManifest).operation,
  objectCount: 20,
  region: 'us-east-1',
}).totalUsd;

describe('budget guard on the embedded local AWS', () => {
  it('refuses a job whose estimate exceeds budget.maxUsd: Rejected event with the estimate, no job', async () => {
    // Prepare
    const { h } = await harnesses.seeded(20);
    // Act
    const run = await h.run(taggingRequest(seededManifest, { budget: { maxUsd: estimateOf20 / 2 } }));
    // Assess
    expect(run.error).toBe('RequestRejected');
    expect(run.statesEntered).toContain('EmitRejected');
    expect(run.statesEntered).not.toContain('EmitSubmitted');
    const rejected = h.event('Batch Job Rejected');
    expect(rejected).toMatchObject({ field: 'budget.maxUsd' });
    expect(rejected.reason).toContain(`estimated $${estimateOf20} (20 objects, us-east-1) exceeds`);
    expect(h.aws.s3control.engine.jobs()).toHaveLength(0);
    expect(h.events('Batch Job Submitted')).toHaveLength(0);
  });

  it('runs a job within budget and puts the estimate on the Submitted event', async () => {
    // Prepare
    const { h } = await harnesses.seeded(20);
    // Act
    const run = await h.run(taggingRequest(seededManifest, { budget: { maxUsd: 1 } }));
    // Assess
    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(h.aws.s3control.engine.jobs()).toHaveLength(1);
    const submitted = h.event('Batch Job Submitted');
    expect(submitted.estimate).toMatchObject({
      region: 'us-east-1',
      objectCount: 20,
      totalUsd: estimateOf20,
    });
    expect(submitted.estimate.lines.map((line: { item: string }) => line.item)).toContain(
      'PutObjectTagging requests',
    );
  });
});
