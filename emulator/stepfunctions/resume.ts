/**
 * Resuming an execution a killed process left RUNNING at the top-level state it was in (the store's
 * checkpoint), as Step Functions itself never restarts a running execution. The interpreter can only start
 * at `StartAt`, and it sets `$$.Execution.Input` to whatever input the run gets, so the run keeps the
 * execution's own input and starts at a hidden Pass state that replaces it with the checkpoint's input
 * and moves on to the checkpoint's state. The runner records none of the hidden state's events.
 */
import type { AslDefinition } from './definition.js';
import type { ExecutionCheckpoint } from './store.js';

/** Cannot clash with a user's state: a state name is at most 80 characters of the definition's own. */
export const RESUME_STATE = '__sfn_emulator_resume__';

/** The checkpoint a run can resume from, or undefined (run from the start) when the definition lacks its state. */
export function usableCheckpoint(
  definition: AslDefinition,
  checkpoint: ExecutionCheckpoint | undefined,
): ExecutionCheckpoint | undefined {
  return checkpoint && Object.hasOwn(definition.States, checkpoint.state) ? checkpoint : undefined;
}

/** `prepared` (a definition ready to run) starting at the checkpoint's state with its input. */
export function resumingAt(prepared: AslDefinition, checkpoint: ExecutionCheckpoint): AslDefinition {
  return {
    ...prepared,
    StartAt: RESUME_STATE,
    States: {
      // Wrapped: the interpreter's Pass ignores a falsy Result (null, 0, false, "") and passes its input on.
      [RESUME_STATE]: {
        Type: 'Pass',
        Result: { input: JSON.parse(checkpoint.input) },
        OutputPath: '$.input',
        Next: checkpoint.state,
      },
      ...prepared.States,
    },
  };
}

/** Whether an interpreter event about `stateName` is worth a checkpoint: a top-level state of the execution. */
export const isTopLevelState = (definition: AslDefinition, stateName: string): boolean =>
  stateName !== RESUME_STATE && Object.hasOwn(definition.States, stateName);
