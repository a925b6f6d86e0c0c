import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Two projects. `fast` (npm test) is every unit, emulator, CLI, local-deploy and workflow test plus the
 * contract tests that take seconds; `contract` (npm run test:contract) holds the slow ones: packaging with
 * `sls package` twice, and the README's AWS CLI commands against the local AWS. CI runs both.
 */
const slowContract = ['test/contract/package.test.ts', 'test/contract/aws-cli.test.ts'];

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
          exclude: [...configDefaults.exclude, ...slowContract],
        },
      },
      { extends: true, test: { name: 'contract', include: slowContract } },
    ],
  },
});
