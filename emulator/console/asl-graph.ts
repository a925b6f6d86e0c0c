/**
 * A state machine definition as a drawable graph: the top-level states laid out in layers (longest path from
 * StartAt once the loops' back edges are set aside, then each layer ordered by its predecessors' positions),
 * so the browser only draws boxes and lines. States inside Map and Parallel are drawn as their parent.
 */

export interface GraphNode {
  name: string;
  type: string;
  layer: number;
  x: number;
  y: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: 'next' | 'choice' | 'default' | 'catch';
  /** Closes a loop (points to a state already on the path from StartAt): drawn curving back up. */
  back: boolean;
}

export interface StateGraph {
  startAt: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
}

export const NODE_WIDTH = 168;
export const NODE_HEIGHT = 30;
const GAP_X = 16;
const GAP_Y = 34;

interface AslState {
  Type?: string;
  Next?: string;
  Default?: string;
  Choices?: { Next?: string }[];
  Catch?: { Next?: string }[];
}

function outgoing(name: string, state: AslState): Omit<GraphEdge, 'back'>[] {
  const edges: Omit<GraphEdge, 'back'>[] = [];
  const add = (to: string | undefined, kind: GraphEdge['kind']) => {
    if (to && !edges.some((edge) => edge.to === to)) edges.push({ from: name, to, kind });
  };
  add(state.Next, 'next');
  for (const choice of state.Choices ?? []) add(choice.Next, 'choice');
  add(state.Default, 'default');
  for (const handler of state.Catch ?? []) add(handler.Next, 'catch');
  return edges;
}

/** Lays out `definition` (ASL JSON text or object); states it cannot read are skipped, never thrown on. */
export function buildStateGraph(definition: string | object): StateGraph {
  const asl = (typeof definition === 'string' ? JSON.parse(definition) : definition) as {
    StartAt?: string;
    States?: Record<string, AslState>;
  };
  const states = asl.States ?? {};
  const names = Object.keys(states);
  const startAt = asl.StartAt ?? names[0] ?? '';
  const raw = names.flatMap((name) => outgoing(name, states[name]!).filter((edge) => edge.to in states));

  // Depth-first from StartAt (then from any state it never reaches): an edge to a state still on the stack
  // closes a loop. Post-order reversed is a topological order of the remaining edges.
  const successors = new Map(names.map((name) => [name, raw.filter((edge) => edge.from === name)]));
  const onStack = new Set<string>();
  const seen = new Set<string>();
  const backEdges = new Set<string>();
  const postOrder: string[] = [];
  const visit = (root: string) => {
    // Iterative, so a definition with thousands of states cannot overflow the stack.
    const stack: { name: string; next: number }[] = [{ name: root, next: 0 }];
    seen.add(root);
    onStack.add(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const edges = successors.get(top.name)!;
      if (top.next < edges.length) {
        const edge = edges[top.next++]!;
        if (onStack.has(edge.to)) backEdges.add(`${edge.from}\u0000${edge.to}`);
        else if (!seen.has(edge.to)) {
          seen.add(edge.to);
          onStack.add(edge.to);
          stack.push({ name: edge.to, next: 0 });
        }
      } else {
        stack.pop();
        onStack.delete(top.name);
        postOrder.push(top.name);
      }
    }
  };
  if (startAt in states) visit(startAt);
  for (const name of names) if (!seen.has(name)) visit(name);

  const edges: GraphEdge[] = raw.map((edge) => ({
    ...edge,
    back: backEdges.has(`${edge.from}\u0000${edge.to}`),
  }));
  const layer = new Map(names.map((name) => [name, 0]));
  for (const name of postOrder.reverse()) {
    for (const edge of edges) {
      if (edge.from === name && !edge.back) {
        layer.set(edge.to, Math.max(layer.get(edge.to)!, layer.get(name)! + 1));
      }
    }
  }

  const depth = Math.max(0, ...layer.values()) + 1;
  const layers: string[][] = Array.from({ length: names.length === 0 ? 0 : depth }, () => []);
  for (const name of names) layers[layer.get(name)!]!.push(name);
  const position = new Map<string, number>();
  for (const row of layers) {
    const barycenter = (name: string) => {
      const from = edges.filter((edge) => edge.to === name && !edge.back && position.has(edge.from));
      return from.length === 0
        ? Number.POSITIVE_INFINITY
        : from.reduce((sum, edge) => sum + position.get(edge.from)!, 0) / from.length;
    };
    const ordered = row
      .map((name, index) => ({ name, index, weight: barycenter(name) }))
      .sort((a, b) => a.weight - b.weight || a.index - b.index);
    for (const [index, { name }] of ordered.entries()) position.set(name, index - (ordered.length - 1) / 2);
  }

  const widest = Math.max(1, ...layers.map((row) => row.length));
  const width = widest * (NODE_WIDTH + GAP_X) + GAP_X;
  const nodes: GraphNode[] = names.map((name) => ({
    name,
    type: states[name]!.Type ?? '?',
    layer: layer.get(name)!,
    x: Math.round(width / 2 + position.get(name)! * (NODE_WIDTH + GAP_X) - NODE_WIDTH / 2),
    y: GAP_Y / 2 + layer.get(name)! * (NODE_HEIGHT + GAP_Y),
  }));
  return { startAt, nodes, edges, width, height: layers.length * (NODE_HEIGHT + GAP_Y) + GAP_Y / 2 };
}
