/**
 * When a Map or Parallel state fails, aws-local-stepfunctions aborts its other iterations and branches, but a
 * task handler in them is never told (handlers only receive their input). StateScopes gives each Task a
 * signal that aborts when the execution ends or when a Map / Parallel around it fails, so a `.sync` task
 * stops waiting — and stops its child — as Step Functions does for the iterations it abandons.
 *
 * Scopes are per state name: iterations of an outer Map share the scope of a Map nested in it, so when the
 * inner Map fails in one outer iteration, the others' inner tasks are abandoned too (see PARITY.md).
 */
import type { AslDefinition, AslState } from './definition.js';

const CONTAINERS = new Set(['Map', 'Parallel']);

/** For every state, the names of the Map and Parallel states around it, innermost first. */
export function enclosingContainers(definition: AslDefinition): Map<string, string[]> {
  const result = new Map<string, string[]>();
  const visit = (machine: { States: Record<string, AslState> }, around: string[]): void => {
    for (const [name, state] of Object.entries(machine.States ?? {})) {
      result.set(name, around);
      if (!CONTAINERS.has(state.Type)) continue;
      const inner = [name, ...around];
      const processor = (state.ItemProcessor ?? state.Iterator) as AslDefinition | undefined;
      if (processor?.States) visit(processor, inner);
      for (const branch of (state.Branches as AslDefinition[] | undefined) ?? []) {
        if (branch?.States) visit(branch, inner);
      }
    }
  };
  visit(definition, []);
  return result;
}

export class StateScopes {
  private readonly containers: Map<string, string[]>;
  private readonly controllers = new Map<string, AbortController>();

  constructor(
    definition: AslDefinition,
    private readonly execution: AbortSignal,
  ) {
    this.containers = enclosingContainers(definition);
  }

  /** Aborts when the execution ends or a Map / Parallel around `stateName` fails. */
  signalFor(stateName: string): AbortSignal {
    const around = this.containers.get(stateName) ?? [];
    if (around.length === 0) return this.execution;
    return AbortSignal.any([this.execution, ...around.map((name) => this.controllerOf(name).signal)]);
  }

  /** A state failed; when it is a Map or Parallel, everything still running inside it is abandoned. */
  failed(stateName: string, stateType: string): void {
    if (!CONTAINERS.has(stateType)) return;
    const controller = this.controllers.get(stateName);
    if (!controller) return;
    // A fresh scope for a retry of the state: its new iterations must not inherit the abort.
    this.controllers.delete(stateName);
    controller.abort();
  }

  private controllerOf(name: string): AbortController {
    let controller = this.controllers.get(name);
    if (!controller) {
      controller = new AbortController();
      this.controllers.set(name, controller);
    }
    return controller;
  }
}
