/**
 * X-Ray on the AWS SDK clients (Powertools Tracer): each SDK call of a Lambda becomes a subsegment of its
 * invocation's trace (serverless.yml turns Lambda and Step Functions tracing on; the roles may write traces,
 * iam/roles.ts). On for a function running on Lambda (AWS_EXECUTION_ENV is set there) unless
 * POWERTOOLS_TRACE_ENABLED is "false"; off elsewhere (the local AWS, tests), where `traced` hands the client
 * back untouched.
 *
 * Decided from the function's own environment map, not process.env: the local AWS runs every Lambda in one
 * process, each with its own map. HTTP calls are not captured globally (captureHTTPsRequests off): the SDK
 * clients are what we trace, and a global patch would trace them twice.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { serviceName } from '../core/names.js';

export type Traced = <T>(client: T) => T;

export function tracingEnabled(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(env.AWS_EXECUTION_ENV) && env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false';
}

/** The identity when tracing is off: nothing of X-Ray runs or prints. */
export function createTraced(env: Readonly<Record<string, string | undefined>>): Traced {
  if (!tracingEnabled(env)) return (client) => client;
  const tracer = new Tracer({ serviceName, captureHTTPsRequests: false });
  return (client) => tracer.captureAWSv3Client(client);
}
