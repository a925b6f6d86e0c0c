import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ServiceRequestRejectedError } from '../../../src/core/errors.js';
import type { WorkflowPort } from '../../../src/core/ports.js';
import { parkedWaitKey, parkWait, wakeParkedWait } from '../../../src/core/wake/parked-wait.js';
import { defaultWaitSettings } from '../../builders/submitted-job.js';
import { memoryObjectStore } from '../../doubles/memory-ports.js';

// The S3 User Guide's example JobStatusChanged event (account 123456789012, job e849b567…).
const jobEvent = JSON.parse(readFileSync('test/fixtures/cloudtrail-job-status-changed.json', 'utf8'));
const jobId = jobEvent.detail.serviceEventDetails.jobId as string;
const t0 = Date.parse('2026-11-26T10:00:00Z');
const clockAt = (seconds: number) => ({ now: () => new Date(t0 + seconds * 1000) });
const job = {
  jobId,
  accountId: jobEvent.account as string,
  wait: defaultWaitSettings,
};

function recordingWorkflow(failWith?: Error): WorkflowPort & { sent: { token: string; output: object }[] } {
  const sent: { token: string; output: object }[] = [];
  return {
    sent,
    async startExecution() {
      throw new Error('not used');
    },
    async sendTaskSuccess(token, output) {
      if (failWith) throw failWith;
      sent.push({ token, output });
    },
  };
}

describe('event-driven wake', () => {
  it('parks the token next to the job and hands it back on the job event', async () => {
    // Prepare
    const objects = memoryObjectStore();
    const workflow = recordingWorkflow();
    await parkWait(
      { objects, stateBucket: 'state', clock: clockAt(0) },
      { taskToken: 'token-1', executionArn: 'arn:exec', job, waitSeconds: 600 },
    );
    // Act
    const result = await wakeParkedWait(
      { objects, workflow, stateBucket: 'state', clock: clockAt(30) },
      jobEvent,
    );
    // Assess
    expect(objects.objects.has(`state/${parkedWaitKey(job.accountId, jobId)}`)).toBe(true);
    expect(result).toEqual({ woken: true, executionArn: 'arn:exec' });
    expect(workflow.sent).toEqual([
      { token: 'token-1', output: { wokenBy: 'JobStatusChanged', jobId, status: 'Complete' } },
    ]);
  });

  it('ignores events for jobs no workflow waits on', async () => {
    const result = await wakeParkedWait(
      {
        objects: memoryObjectStore(),
        workflow: recordingWorkflow(),
        stateBucket: 'state',
        clock: clockAt(0),
      },
      jobEvent,
    );
    expect(result).toMatchObject({ woken: false });
  });

  it('treats a token whose wait already ended as stale, without calling Step Functions', async () => {
    const objects = memoryObjectStore();
    const workflow = recordingWorkflow();
    await parkWait(
      { objects, stateBucket: 'state', clock: clockAt(0) },
      { taskToken: 't', executionArn: 'arn:exec', job, waitSeconds: 60 },
    );
    const result = await wakeParkedWait(
      { objects, workflow, stateBucket: 'state', clock: clockAt(61) },
      jobEvent,
    );
    expect(result).toEqual({ woken: false, reason: 'the wait already ended' });
    expect(workflow.sent).toEqual([]);
  });

  it('takes TaskTimedOut from Step Functions as a wait that already ended', async () => {
    const objects = memoryObjectStore();
    await parkWait(
      { objects, stateBucket: 'state', clock: clockAt(0) },
      { taskToken: 't', executionArn: 'arn:exec', job, waitSeconds: 60 },
    );
    const workflow = recordingWorkflow(
      new ServiceRequestRejectedError('SFN.SendTaskSuccess failed with TaskTimedOut'),
    );
    const result = await wakeParkedWait(
      { objects, workflow, stateBucket: 'state', clock: clockAt(10) },
      jobEvent,
    );
    expect(result).toMatchObject({ woken: false });
  });

  it('parks nothing without a state bucket or with event-driven waiting off', async () => {
    const objects = memoryObjectStore();
    const input = { taskToken: 't', executionArn: 'arn:exec', job, waitSeconds: 60 };
    expect(await parkWait({ objects, stateBucket: undefined, clock: clockAt(0) }, input)).toEqual({
      parked: false,
    });
    expect(
      await parkWait(
        { objects, stateBucket: 'state', clock: clockAt(0) },
        { ...input, job: { ...job, wait: { ...job.wait, eventDriven: false } } },
      ),
    ).toEqual({ parked: false });
    expect(objects.objects.size).toBe(0);
  });
});
