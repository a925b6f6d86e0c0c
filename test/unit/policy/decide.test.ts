import { describe, expect, it } from 'vitest';
import { decidePolicyActions, type ReprioritizeState } from '../../../src/core/policy/index.js';
import type { JobPolicy } from '../../../src/generated/types.js';
import { now, policyInput, snapshot } from './builders.js';

const cancelAbove5Percent: JobPolicy = { autoCancel: { failureRateThreshold: 0.05, minTasksRun: 200 } };
const lowerAbove10Percent: JobPolicy = {
  reprioritize: { warnFailureRate: 0.1, recoverFailureRate: 0.05, loweredPriority: 1 },
};
const deadline = '2026-11-26T12:00:00Z';
const raiseForDeadline: JobPolicy = { reprioritize: { deadline, raisedPriority: 100 } };

describe('decidePolicyActions', () => {
  describe('auto-cancel', () => {
    it('ignores failures until the minimum sample is reached', () => {
      // Prepare
      const input = policyInput({ policy: cancelAbove5Percent, snapshot: snapshot(199, 100) });
      // Act
      const { actions } = decidePolicyActions(input);
      // Assess
      expect(actions).toEqual([]);
    });

    it('cancels with the measured rate once the rate exceeds the threshold after the minimum sample', () => {
      const { actions } = decidePolicyActions(
        policyInput({ policy: cancelAbove5Percent, snapshot: snapshot(200, 40) }),
      );
      expect(actions).toEqual([
        {
          kind: 'cancel',
          reason:
            'Auto-cancelled by s3-batch-orchestrator: failure rate 20.0% (40 of 200 tasks) exceeded 5.0% after ≥200 tasks',
          figures: { failureRate: 0.2, tasksRun: 200, failedTasks: 40, threshold: 0.05 },
          dryRun: false,
        },
      ]);
    });

    it.each([
      ['exactly at the threshold', snapshot(1000, 50), []],
      ['just above the threshold', snapshot(1000, 51), ['cancel']],
      ['with the default minimum sample of 100', snapshot(100, 6), ['cancel']],
      ['below the default minimum sample', snapshot(99, 50), []],
    ])('with a 5%% threshold and no minTasksRun, %s', (_name, current, kinds) => {
      const policy = { autoCancel: { failureRateThreshold: 0.05 } };
      const { actions } = decidePolicyActions(policyInput({ policy, snapshot: current }));
      expect(actions.map((a) => a.kind)).toEqual(kinds);
    });

    it('cancels once maxFailedTasks tasks failed, whatever the sample or rate', () => {
      const policy = { autoCancel: { maxFailedTasks: 50 } };
      const { actions } = decidePolicyActions(policyInput({ policy, snapshot: snapshot(2000, 50) }));
      expect(actions).toEqual([
        expect.objectContaining({
          kind: 'cancel',
          reason:
            'Auto-cancelled by s3-batch-orchestrator: 50 tasks failed, reaching the limit of 50 (failure rate 2.5% (50 of 2000 tasks))',
          figures: {
            failureRate: 0.025,
            tasksRun: 2000,
            failedTasks: 50,
            threshold: null,
            maxFailedTasks: 50,
          },
        }),
      ]);
    });

    it.each(['Complete', 'Cancelled', 'Failed', 'Completing', 'Cancelling', 'Failing'] as const)(
      'never acts on a %s job',
      (status) => {
        const policy = { ...cancelAbove5Percent, ...lowerAbove10Percent, ...raiseForDeadline };
        const state = { lowered: false, raised: false };
        const decision = decidePolicyActions(
          policyInput({
            policy,
            snapshot: snapshot(1000, 900, status),
            reprioritizeState: state,
            etaSeconds: 1e6,
          }),
        );
        expect(decision).toEqual({ actions: [], reprioritizeState: state });
      },
    );

    it('wins over reprioritizing, leaving the reprioritize state alone', () => {
      const policy = { ...cancelAbove5Percent, reprioritize: lowerAbove10Percent.reprioritize! };
      const decision = decidePolicyActions(policyInput({ policy, snapshot: snapshot(500, 100) }));
      expect(decision.actions.map((a) => a.kind)).toEqual(['cancel']);
      expect(decision.reprioritizeState).toEqual({ lowered: false, raised: false });
    });

    it('marks the same decision as a dry run when the policy says so', () => {
      const policy = { ...cancelAbove5Percent, dryRun: true };
      const { actions } = decidePolicyActions(policyInput({ policy, snapshot: snapshot(200, 40) }));
      expect(actions).toEqual([expect.objectContaining({ kind: 'cancel', dryRun: true })]);
    });
  });

  describe('reprioritize on failure rate', () => {
    it('does not lower the priority before the minimum sample', () => {
      const { actions } = decidePolicyActions(
        policyInput({ policy: lowerAbove10Percent, snapshot: snapshot(99, 50) }),
      );
      expect(actions).toEqual([]);
    });

    it('lowers the priority at the warning rate, with the rate in the reason', () => {
      const { actions, reprioritizeState } = decidePolicyActions(
        policyInput({ policy: lowerAbove10Percent, snapshot: snapshot(200, 20) }),
      );
      expect(actions).toEqual([
        {
          kind: 'reprioritize',
          from: 10,
          to: 1,
          cause: 'failure-rate',
          reason: 'failure rate 10.0% (20 of 200 tasks) reached 10.0%: priority 10 → 1',
          dryRun: false,
        },
      ]);
      expect(reprioritizeState).toEqual({ lowered: true, raised: false });
    });

    /** Runs a sequence of failure rates (per 1,000 tasks run) through the decision, poll after poll. */
    function replay(policy: JobPolicy, failedPerThousand: number[]) {
      let state: ReprioritizeState = { lowered: false, raised: false };
      let priority = 10;
      return failedPerThousand.map((failed) => {
        const decision = decidePolicyActions(
          policyInput({
            policy,
            snapshot: snapshot(1000, failed),
            reprioritizeState: state,
            currentPriority: priority,
          }),
        );
        state = decision.reprioritizeState;
        const action = decision.actions[0];
        if (action?.kind === 'reprioritize' && !action.dryRun) priority = action.to;
        return action?.kind === 'reprioritize' ? `${action.from}→${action.to}` : '-';
      });
    }

    it.each([
      [
        'rises through warn, hovers between the rates, then recovers',
        [20, 120, 80, 60, 50, 40, 70],
        ['-', '10→1', '-', '-', '-', '1→10', '-'],
      ],
      ['hovers between recover and warn without ever lowering', [60, 90, 99, 70], ['-', '-', '-', '-']],
      ['is lowered again after recovering', [150, 10, 100, 49], ['10→1', '1→10', '10→1', '1→10']],
      ['stays lowered while the rate stays high', [200, 300, 110, 100], ['10→1', '-', '-', '-']],
    ])('with hysteresis (warn 10%%, recover 5%%): %s', (_name, rates, expected) => {
      expect(replay(lowerAbove10Percent, rates)).toEqual(expected);
    });

    it('reports the same changes in a dry run, from the priority it would have set', () => {
      const dryRun = { ...lowerAbove10Percent, dryRun: true };
      expect(replay(dryRun, [20, 120, 80, 40])).toEqual(['-', '10→1', '-', '1→10']);
    });

    it('defaults the recovery rate to half the warning rate', () => {
      const policy = { reprioritize: { warnFailureRate: 0.1, loweredPriority: 1 } };
      expect(replay(policy, [100, 51, 49])).toEqual(['10→1', '-', '1→10']);
    });

    it('records the change but sends none when the job already has the target priority', () => {
      const decision = decidePolicyActions(
        policyInput({ policy: lowerAbove10Percent, snapshot: snapshot(200, 40), currentPriority: 1 }),
      );
      expect(decision).toEqual({ actions: [], reprioritizeState: { lowered: true, raised: false } });
    });
  });

  describe('reprioritize on deadline', () => {
    const oneHour = 3600;
    it.each([
      ['the ETA passes the deadline', 3 * oneHour, now, true],
      ['the ETA is before the deadline', oneHour, now, false],
      ['the ETA is unknown and the deadline is ahead', null, now, false],
      ['the ETA is unknown and the deadline passed', null, new Date('2026-11-26T12:00:01Z'), true],
    ])('raises the priority only when %s', (_name, etaSeconds, at, raised) => {
      const { actions, reprioritizeState } = decidePolicyActions(
        policyInput({ policy: raiseForDeadline, snapshot: snapshot(500, 0), etaSeconds, now: at }),
      );
      expect(reprioritizeState.raised).toBe(raised);
      expect(actions.map((a) => (a.kind === 'reprioritize' ? [a.to, a.cause] : a.kind))).toEqual(
        raised ? [[100, 'deadline']] : [],
      );
    });

    it('says when the job is expected to finish', () => {
      const { actions } = decidePolicyActions(
        policyInput({ policy: raiseForDeadline, snapshot: snapshot(500, 0), etaSeconds: 3 * oneHour }),
      );
      expect(actions[0]?.reason).toBe(
        'ETA 2026-11-26T13:00:00.000Z, deadline 2026-11-26T12:00:00Z: priority 10 → 100',
      );
    });

    it('raises only once', () => {
      const { actions } = decidePolicyActions(
        policyInput({
          policy: raiseForDeadline,
          snapshot: snapshot(500, 0),
          etaSeconds: 3 * oneHour,
          currentPriority: 100,
          reprioritizeState: { lowered: false, raised: true },
        }),
      );
      expect(actions).toEqual([]);
    });

    it('keeps a failing job lowered past its deadline, and raises it once it recovers', () => {
      const policy = {
        reprioritize: { ...lowerAbove10Percent.reprioritize, ...raiseForDeadline.reprioritize },
      };
      const failing = decidePolicyActions(
        policyInput({ policy, snapshot: snapshot(1000, 200), etaSeconds: 3 * oneHour }),
      );
      expect(failing.actions.map((a) => a.kind === 'reprioritize' && [a.to, a.cause])).toEqual([
        [1, 'failure-rate'],
      ]);
      expect(failing.reprioritizeState).toEqual({ lowered: true, raised: true });

      const recovered = decidePolicyActions(
        policyInput({
          policy,
          snapshot: snapshot(1000, 40),
          currentPriority: 1,
          reprioritizeState: failing.reprioritizeState,
          etaSeconds: 3 * oneHour,
        }),
      );
      expect(recovered.actions.map((a) => a.kind === 'reprioritize' && [a.from, a.to, a.cause])).toEqual([
        [1, 100, 'recovered'],
      ]);
    });
  });
});
