/**
 * No import cycles among src/core files (issue 14): a cycle means neither module can be understood, tested
 * or moved without the other, and the contract types (workflow-state) must depend on nothing but the
 * schema. Type-only imports count too: they tie the files together just the same.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const coreDir = 'src/core';

/** Specifiers of static imports and re-exports, side-effect imports and literal dynamic imports. */
function importSpecifiers(source: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\sfrom\s*['"]([^'"]+)['"]/gms,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1]!));
}

/** Repository-relative `.ts` path of a relative specifier; undefined for packages. */
function resolveSpecifier(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return relative(root, resolve(dirname(join(root, file)), specifier))
    .split(sep)
    .join('/')
    .replace(/\.js$/, '.ts');
}

type Graph = Map<string, string[]>;

/** Edges between the given files only (imports leaving the set cannot close a cycle inside it). */
function importGraph(files: { path: string; source: string }[]): Graph {
  const paths = new Set(files.map((file) => file.path));
  return new Map(
    files.map(({ path, source }) => [
      path,
      [
        ...new Set(
          importSpecifiers(source)
            .map((specifier) => resolveSpecifier(path, specifier))
            .filter((target): target is string => target !== undefined && paths.has(target)),
        ),
      ].sort(),
    ]),
  );
}

/**
 * Every elementary cycle found by a depth-first search, each once, written from its smallest path:
 * `a.ts -> b.ts -> a.ts`. Enough to name what to break; not every cycle of a dense graph.
 */
function importCycles(graph: Graph): string[] {
  const found = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0]!);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        found.add([...rotated, rotated[0]].join(' -> '));
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return [...found].sort();
}

function coreFiles(dir = coreDir): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return coreFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('import cycles in src/core', () => {
  it('finds a direct cycle, a longer one through a type-only import, and ignores imports leaving the set', () => {
    // Prepare
    const files = [
      {
        path: 'src/core/a.ts',
        source: "import { b } from './b.js';\nimport { x } from '../generated/x.js';",
      },
      { path: 'src/core/b.ts', source: "export { a } from './a.js';" },
      { path: 'src/core/c.ts', source: "import type { D } from './sub/d.js';" },
      { path: 'src/core/sub/d.ts', source: "import type {\n  E,\n} from '../e.js';" },
      { path: 'src/core/e.ts', source: "import '../core/c.js';" },
      { path: 'src/core/f.ts', source: "import { a } from './a.js';\nimport { node } from 'node:fs';" },
    ];

    // Act
    const cycles = importCycles(importGraph(files));

    // Assess
    expect(cycles).toEqual([
      'src/core/a.ts -> src/core/b.ts -> src/core/a.ts',
      'src/core/c.ts -> src/core/sub/d.ts -> src/core/e.ts -> src/core/c.ts',
    ]);
  });

  it('holds for every file under src/core', () => {
    // Prepare
    const files = coreFiles().map((path) => ({ path, source: readFileSync(join(root, path), 'utf8') }));

    // Act
    const cycles = importCycles(importGraph(files));

    // Assess
    expect(files.some((file) => file.path === 'src/core/workflow-state.ts')).toBe(true);
    expect(cycles).toEqual([]);
  });
});
