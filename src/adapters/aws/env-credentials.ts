/**
 * Credentials from an environment map. A module of its own, importing no SDK client, because the Lambda
 * bundles' stand-in for the SDK's default credential chain (lambda-default-credentials.ts) uses it too.
 */

export interface EnvCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * Static credentials from an environment map, read as the SDK's `fromEnv` provider reads process.env
 * (AWS SDKs and Tools Reference Guide, "Environment variables": AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN). Undefined unless both keys are set: the caller then keeps the SDK's default chain.
 * Lets a host give each Lambda its own environment without the SDK reading the shared process.env.
 */
export function credentialsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): EnvCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env.AWS_SESSION_TOKEN?.trim();
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}
