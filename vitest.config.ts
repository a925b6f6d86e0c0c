import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Three projects. `fast` (npm test) is every unit, emulator, CLI, local-deploy, workflow and reliability test
 * plus the contract tests that take seconds; `contract` (npm run test:contract) holds the slow ones:
 * packaging with `sls package` twice, and the README's AWS CLI commands against the local AWS; `browser`
 * (npm run test:browser) drives the local console in Debian's Chromium. CI runs all three.
 */
const slowContract = ['test/contract/package.test.ts', 'test/contract/aws-cli.test.ts'];
const browser = ['test/browser/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...slowContract, ...browser],
        },
      },
      { extends: true, test: { name: 'contract', include: slowContract } },
      // A browser test starts Chromium and runs a job end to end: more than the default minute on a loaded machine.
      { extends: true, test: { name: 'browser', include: browser, testTimeout: 120_000 } },
    ],
  },
});
