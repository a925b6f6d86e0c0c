import { describe, expect, it } from 'vitest';
import { batchJobStateMachineArn, resolveConfig } from '../../cli/context.js';
import { defaultLocalAccountId, defaultLocalEndpoint, localCredentials } from '../../cli/defaults.js';
import { CliUsageError } from '../../cli/errors.js';

describe('resolveConfig', () => {
  it('targets the local AWS by default', () => {
    const config = resolveConfig({}, {});
    expect(config).toMatchObject({
      stage: 'local',
      region: 'us-east-1',
      endpoint: defaultLocalEndpoint,
      accountId: defaultLocalAccountId,
      json: false,
      credentials: localCredentials,
    });
  });

  it('targets AWS itself for another stage, with the account from S3BO_ACCOUNT_ID', () => {
    const config = resolveConfig(
      { stage: 'prod' },
      { AWS_REGION: 'eu-west-1', S3BO_ACCOUNT_ID: '123456789012' },
    );
    expect(config).toMatchObject({
      stage: 'prod',
      region: 'eu-west-1',
      endpoint: undefined,
      accountId: '123456789012',
    });
    expect(config.endpoints).toEqual({});
    expect(config.credentials).toBeUndefined();
  });

  it('lets --endpoint win over AWS_ENDPOINT_URL, which wins over the local default', () => {
    expect(resolveConfig({}, { AWS_ENDPOINT_URL: 'http://localhost:4566' }).endpoint).toBe(
      'http://localhost:4566',
    );
    expect(
      resolveConfig({ endpoint: 'http://127.0.0.1:1234' }, { AWS_ENDPOINT_URL: 'http://localhost:4566' })
        .endpoints,
    ).toEqual({ default: 'http://127.0.0.1:1234' });
  });

  it('uses the environment credentials when there are some', () => {
    expect(resolveConfig({}, { AWS_PROFILE: 'dev' }).credentials).toBeUndefined();
  });

  it.each([
    [{ stage: 'Prod!' }, '--stage'],
    [{ endpoint: 'ftp://x' }, '--endpoint'],
    [{ accountId: '42' }, '--account-id'],
  ])('rejects %o', (options, flag) => {
    expect(() => resolveConfig(options, {})).toThrow(CliUsageError);
    expect(() => resolveConfig(options, {})).toThrow(flag);
  });

  it('names the stage state machine', () => {
    expect(batchJobStateMachineArn({ region: 'us-east-1', stage: 'dev' }, '123456789012')).toBe(
      'arn:aws:states:us-east-1:123456789012:stateMachine:s3-batch-orchestrator-dev-batch-job',
    );
  });
});
