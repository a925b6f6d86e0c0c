/**
 * Runs the real `sls package` (osls) offline: fake credentials, no telemetry or notifications. Each run
 * packages its own copy of the service (node_modules linked, not copied): serverless-esbuild stages
 * artifacts in the service's `.serverless/` whatever `--package` says, so runs in the checkout would race
 * with each other and with a developer's `npm run package`.
 */
import { execFile } from 'node:child_process';
import { cp, readFile, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import type { CfnTemplate } from './iam.js';
import { projectRoot } from './paths.js';

const run = promisify(execFile);

const slsBin = join(
  dirname(createRequire(import.meta.url).resolve('osls/package.json', { paths: [projectRoot] })),
  'bin/serverless.js',
);

/** The environment osls needs to package without an AWS account or network. */
export function offlineEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of [
    'AWS_PROFILE',
    'AWS_DEFAULT_PROFILE',
    'AWS_SESSION_TOKEN',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  ]) {
    delete env[name];
  }
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'fake',
    AWS_SECRET_ACCESS_KEY: 'fake',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_TRACKING_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    SLS_DEPRECATION_DISABLE: '*',
    SLS_INTERACTIVE_SETUP_DISABLE: '1',
    FORCE_COLOR: '0',
  };
}

export interface PackagedService {
  stage: string;
  /** Where the artifacts and templates are (`<copy>/.serverless`). */
  dir: string;
  template: CfnTemplate;
  output: string;
}

/** Top-level entries of the checkout that packaging never reads (or that it writes). */
const notCopied = new Set(['node_modules', '.git', '.serverless', '.esbuild', '.s3bo', '.bench', 'coverage']);

async function copyService(serviceDir: string): Promise<void> {
  await cp(projectRoot, serviceDir, {
    recursive: true,
    filter: (source) => !notCopied.has(relative(projectRoot, source).split(sep)[0]!),
  });
  await symlink(join(projectRoot, 'node_modules'), join(serviceDir, 'node_modules'), 'dir');
}

/** `sls package --stage <stage>` in a copy of the service under `workDir/<stage>`; the update-stack template. */
export async function packageService(stage: string, workDir: string): Promise<PackagedService> {
  const serviceDir = join(workDir, stage);
  const dir = join(serviceDir, '.serverless');
  await copyService(serviceDir);
  let output: string;
  try {
    // process.execPath: the Node that runs the tests (Node 24 through the `node` devDependency).
    const result = await run(process.execPath, [slsBin, 'package', '--stage', stage, '--package', dir], {
      cwd: serviceDir,
      env: offlineEnv(),
      timeout: 170_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    output = `${result.stdout}${result.stderr}`;
  } catch (error) {
    const failure = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`sls package --stage ${stage} failed:\n${failure.stdout ?? ''}${failure.stderr ?? ''}`, {
      cause: error,
    });
  }
  const template = JSON.parse(
    await readFile(join(dir, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as CfnTemplate;
  return { stage, dir, template, output };
}
