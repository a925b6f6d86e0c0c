/**
 * How every Lambda is bundled, in one place: serverless.yml's `custom.esbuild` is `${file(...):serverless}`
 * of this module, and bench/lambda-bundles.ts and its test build with `esbuild`, so what they measure is
 * what `sls package` ships. CommonJS because osls require()s it. Figures: `npm run bench -- lambda-bundles`.
 */
const { join } = require('node:path');

/** esbuild's own options (the esbuild API takes exactly these). */
const esbuild = {
  bundle: true,
  // CommonJS: bundled CJS dependencies (the AWS SDK) keep working without a createRequire banner.
  format: 'cjs',
  platform: 'node',
  target: 'node24',
  // The SDK and Powertools ship ES modules beside CommonJS; only the ES modules tree-shake, and on
  // platform node esbuild would prefer `main` (CommonJS: every command of a client, whether used or not).
  mainFields: ['module', 'main'],
  minify: true,
  // Error names are an API (src/core/errors.ts sets `name` from the class): minifying must not rename classes.
  keepNames: true,
  // Stack traces map to src/ lines (NODE_OPTIONS=--enable-source-maps); the sources themselves are not
  // needed for that and would double the map.
  sourcemap: true,
  sourcesContent: false,
  // The SDK's default credential chain never runs in our Lambdas (src/adapters/aws/lambda-default-credentials.ts
  // says why) and is about 125 KB of every bundle.
  alias: {
    '@aws-sdk/credential-provider-node': join(
      __dirname,
      '..',
      'src/adapters/aws/lambda-default-credentials.ts',
    ),
  },
};

/** serverless-esbuild's view: esbuild's options plus the plugin's own. */
const serverless = {
  ...esbuild,
  // Bundle everything, the AWS SDK v3 included: the runtime's copy is not the version we test against.
  exclude: [],
};

module.exports = { esbuild, serverless };
