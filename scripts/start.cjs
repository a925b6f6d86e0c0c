#!/usr/bin/env node
// `npm start` on a clean clone: install on first use, then run the demo under the pinned Node 24
// (npm puts node_modules/.bin, which holds the `node` devDependency, first on PATH for `npm run`).
// CommonJS and dependency-free on purpose: it runs on whatever Node the machine has.
const { existsSync, statSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (args) => spawnSync(npm, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

const installed = path.join(root, 'node_modules', '.package-lock.json');
const lockfile = path.join(root, 'package-lock.json');
// npm writes node_modules/.package-lock.json on install: missing means never installed, older than the
// lockfile means the dependencies changed since (a pull, a branch switch).
const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync(lockfile).mtimeMs;
if (stale) {
  console.log(
    existsSync(installed)
      ? 'Dependencies changed: reinstalling (npm ci)…'
      : 'First run: installing dependencies (npm ci)…',
  );
  const status = run(['ci', '--no-audit', '--no-fund']);
  if (status !== 0) process.exit(status);
}
process.exit(run(['run', '--silent', 'demo', '--', ...process.argv.slice(2)]));
