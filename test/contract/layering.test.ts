/**
 * The layers of the tree, as imports (issue 14): the emulator mirrors AWS and imports nothing of ours; the
 * product (src/, functions/) imports neither the emulator, the local deploy nor the CLI; the CLI reaches the
 * emulator only through its entry file; local/ (the local deploy) sits above both and may import either.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const skippedDirs = new Set([
  'node_modules',
  '.git',
  '.serverless',
  '.esbuild',
  '.s3bo',
  '.bench',
  'coverage',
]);

interface Rule {
  from: RegExp;
  to: RegExp;
  unless?: RegExp;
  why: string;
}

const rules: Rule[] = [
  {
    from: /^emulator\//,
    to: /^(src|functions|local|cli)\//,
    why: 'the emulator mirrors AWS and imports no product code',
  },
  {
    from: /^(src|functions)\//,
    to: /^(emulator|local|cli)\//,
    why: 'product code runs on AWS: no emulator, local deploy or CLI in it',
  },
  {
    from: /^cli\//,
    to: /^emulator\//,
    unless: /^emulator\/index\.ts$/,
    why: "the CLI uses the emulator's public entry, emulator/index.ts",
  },
];

/** Specifiers of static imports and re-exports, side-effect imports and literal dynamic imports. */
function importSpecifiers(source: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\sfrom\s*['"]([^'"]+)['"]/gms,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1]!));
}

/** Repository-relative path (forward slashes) of a relative specifier; `.js` names its `.ts` source. */
function resolveSpecifier(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = relative(root, resolve(dirname(join(root, file)), specifier))
    .split(sep)
    .join('/');
  return target.replace(/\.js$/, '.ts');
}

function forbiddenImports(files: { path: string; source: string }[]): string[] {
  const found: string[] = [];
  for (const { path, source } of files) {
    for (const specifier of importSpecifiers(source)) {
      const target = resolveSpecifier(path, specifier);
      if (!target) continue;
      for (const rule of rules) {
        if (rule.from.test(path) && rule.to.test(target) && !rule.unless?.test(target)) {
          found.push(`${path} imports ${target}: ${rule.why}`);
        }
      }
    }
  }
  return found;
}

function typeScriptFiles(dir = ''): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return skippedDirs.has(entry.name) ? [] : typeScriptFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('import layering', () => {
  it('flags each kind of forbidden import and allows the permitted ones', () => {
    // Prepare
    const files = [
      { path: 'emulator/s3/store.ts', source: "import { serviceName } from '../../src/core/names.js';" },
      {
        path: 'emulator/lambda/index.ts',
        source: "export { deployProject } from '../../local/deploy-local.js';",
      },
      { path: 'functions/submit-job.ts', source: "const m = await import('../emulator/index.js');" },
      { path: 'src/core/names.ts', source: "import type {\n  Command,\n} from '../../cli/program.js';" },
      {
        path: 'cli/commands/local.ts',
        source: "import { startLocalAws } from '../../emulator/local-aws.js';",
      },
      { path: 'cli/commands/demo.ts', source: "import { startLocalAws } from '../../emulator/index.js';" },
      {
        path: 'local/deploy-local.ts',
        source: "import '../src/core/names.js';\nimport '../emulator/index.js';",
      },
      { path: 'test/workflow/harness.ts', source: "import '../../emulator/s3control/index.js';" },
    ];

    // Act
    const found = forbiddenImports(files);

    // Assess
    expect(found.map((line) => line.split(':')[0])).toEqual([
      'emulator/s3/store.ts imports src/core/names.ts',
      'emulator/lambda/index.ts imports local/deploy-local.ts',
      'functions/submit-job.ts imports emulator/index.ts',
      'src/core/names.ts imports cli/program.ts',
      'cli/commands/local.ts imports emulator/local-aws.ts',
    ]);
  });

  it('holds for every TypeScript file in the repository', () => {
    // Prepare
    const files = typeScriptFiles().map((path) => ({ path, source: readFileSync(join(root, path), 'utf8') }));

    // Act
    const found = forbiddenImports(files);

    // Assess
    expect(files.some((file) => file.path === 'emulator/index.ts')).toBe(true);
    expect(found).toEqual([]);
  });
});
