/**
 * What the Lambda bundles get for `@aws-sdk/credential-provider-node` (packaging/esbuild-options.cjs aliases
 * it here). The SDK's default chain (env, INI files, SSO, login, web identity, process, container, IMDS, and
 * the STS/SSO clients those pull in) is about 125 KB of every minified bundle and a good part of its load
 * time, yet never runs in our Lambdas: createDependencies hands every client the credentials Lambda puts in
 * the function's environment (credentialsFromEnv), and a client consults its default provider only when it
 * was given none. Should one be built without credentials, this reads the same variables as the chain's
 * first provider (`fromEnv`), which is where Lambda's credentials are.
 *
 * Not used outside the bundles: tests, the CLI and the local deploy resolve the real package.
 */
import { credentialsFromEnv, type EnvCredentials } from './env-credentials.js';

/** The chain's signature as the SDK's runtime config calls it (`credentialDefaultProvider(config)`). */
export const defaultProvider = (_init?: unknown) => async (): Promise<EnvCredentials> => {
  const credentials = credentialsFromEnv(process.env);
  if (credentials === undefined) {
    // The SDK's own name and wording for "no provider found" (CredentialsProviderError), so callers that
    // match on it keep working; tryNextLink false: there is no next link here.
    throw Object.assign(
      new Error(
        'Could not load credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (this bundle ' +
          'carries only the environment provider: packaging/esbuild-options.cjs)',
      ),
      { name: 'CredentialsProviderError', tryNextLink: false },
    );
  }
  return credentials;
};
