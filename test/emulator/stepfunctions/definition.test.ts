import { describe, expect, it } from 'vitest';
import {
  type AslDefinition,
  parseDefinition,
  prepareForRun,
  WAIT_RESOURCE,
} from '../../../emulator/stepfunctions/definition.js';
import { createTestClock } from './helpers.js';

describe('prepareForRun', () => {
  const clock = createTestClock(100);

  it('scales Retry intervals and delays but keeps backoff and jitter', () => {
    const prepared = prepareForRun(
      {
        StartAt: 'Call',
        States: {
          Call: {
            Type: 'Task',
            Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f',
            Retry: [
              {
                ErrorEquals: ['X'],
                IntervalSeconds: 2,
                MaxDelaySeconds: 60,
                BackoffRate: 2,
                JitterStrategy: 'FULL',
              },
            ],
            End: true,
          },
        },
      },
      clock,
    );
    expect(prepared.States.Call!.Retry).toEqual([
      {
        ErrorEquals: ['X'],
        IntervalSeconds: 0.02,
        MaxDelaySeconds: 0.6,
        BackoffRate: 2,
        JitterStrategy: 'FULL',
      },
    ]);
  });

  it('turns Wait states into emulator tasks carrying the evaluated duration', () => {
    const prepared = prepareForRun(
      {
        StartAt: 'Hold',
        TimeoutSeconds: 1000,
        States: { Hold: { Type: 'Wait', SecondsPath: '$.wait', InputPath: '$.x', End: true } },
      },
      clock,
    );
    expect(prepared.TimeoutSeconds).toBe(10);
    expect(prepared.States.Hold).toMatchObject({
      Type: 'Task',
      Resource: WAIT_RESOURCE,
      InputPath: '$.x',
      Parameters: { 'input.$': '$', 'seconds.$': '$.wait' },
      End: true,
    });
  });

  it('points $$.Execution.StartTime at the emulated start and makes $$.State.Name a literal', () => {
    const definition: AslDefinition = {
      StartAt: 'Init',
      States: {
        Init: {
          Type: 'Pass',
          Parameters: {
            'at.$': '$$.Execution.StartTime',
            'state.$': '$$.State.Name',
            'label.$': "States.Format('{}-{}', $$.State.Name, $$.Execution.Name)",
          },
          End: true,
        },
      },
    };
    expect(prepareForRun(definition, clock).States.Init!.Parameters).toEqual({
      'at.$': '$$.Execution.EmulatedStartTime',
      state: 'Init',
      'label.$': "States.Format('{}-{}', 'Init', $$.Execution.Name)",
    });
  });
});

describe('parseDefinition', () => {
  it('rejects JSONata and Assign, which the interpreter would silently ignore', () => {
    const jsonata = { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', End: true } } };
    expect(() => parseDefinition(JSON.stringify(jsonata))).toThrow(/JSONata/);
    const assign = { StartAt: 'A', States: { A: { Type: 'Pass', Assign: { x: 1 }, End: true } } };
    expect(() => parseDefinition(JSON.stringify(assign))).toThrow(/Assign/);
  });

  it('accepts the project state machine once its placeholders are substituted', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(
      new URL('../../../statemachines/batch-job.asl.json', import.meta.url),
      'utf8',
    ).replace(/\$\{(\w+)\}/g, (_, name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`);
    expect(() => parseDefinition(text)).not.toThrow();
  });
});
