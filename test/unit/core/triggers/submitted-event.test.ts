import { describe, expect, it } from 'vitest';
import { buildWorkflowDetail } from '../../../../src/core/events/workflow-details.js';
import { detailTypes } from '../../../../src/core/names.js';
import type { SubmittedJob } from '../../../../src/core/workflow-state.js';
import { detailValidators } from '../../../../src/generated/schema-ids.js';
import { aJobRequest, anExecution } from '../../../builders/job-request.js';
import { aSubmittedJob } from '../../../builders/submitted-job.js';

const estimate = (
  objectCount: number,
  objectCountSource?: 'csvRows' | 'inventoryRows' | 'generatorListing',
) => ({
  region: 'us-east-1',
  objectCount,
  ...(objectCountSource ? { objectCountSource } : {}),
  lines: [],
  totalUsd: 0.25,
  notes: [],
});

function submittedDetail(request: object, job: SubmittedJob): Record<string, unknown> {
  const detail = buildWorkflowDetail(
    {
      detailType: detailTypes.submitted,
      step: 'Submitted',
      state: { request, execution: anExecution, job, progress: null },
    },
    'dev',
    new Date('2026-11-26T10:05:00Z'),
  );
  const validate = detailValidators[detailTypes.submitted];
  expect(validate(detail), JSON.stringify(validate.errors)).toBe(true);
  return detail as Record<string, unknown>;
}

describe('Batch Job Submitted for a trigger’s job', () => {
  it('names the trigger from the request’s s3bo:trigger tag and counts the manifest’s rows', () => {
    const request = { ...aJobRequest(), tags: { team: 'media', 's3bo:trigger': 'thumbs' } };

    const detail = submittedDetail(request, aSubmittedJob({ estimate: estimate(500, 'csvRows') }));

    expect(detail).toMatchObject({ trigger: 'thumbs', objectCount: 500 });
  });

  it('has no trigger for a job no trigger started, and no count a generator’s listing only bounds', () => {
    const detail = submittedDetail(
      aJobRequest(),
      aSubmittedJob({ estimate: estimate(80, 'generatorListing') }),
    );

    expect(detail).not.toHaveProperty('trigger');
    expect(detail).not.toHaveProperty('objectCount');
  });

  it('counts rows of an estimate made before objectCountSource existed (CSV rows)', () => {
    expect(submittedDetail(aJobRequest(), aSubmittedJob({ estimate: estimate(7) }))).toMatchObject({
      objectCount: 7,
    });
  });
});
