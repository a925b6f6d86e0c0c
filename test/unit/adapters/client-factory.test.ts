import { GetObjectCommand } from '@aws-sdk/client-s3';
import { DescribeJobCommand } from '@aws-sdk/client-s3-control';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createAwsClientFactory,
  createS3Client,
  createS3ControlClient,
  credentialsFromEnv,
  defaultMaxAttempts,
  endpointOptionsFromEnv,
} from '../../../src/adapters/aws/client-factory.js';
import { ConfigurationError } from '../../../src/core/errors.js';
import { captureRequests } from './capture-request.js';

const accountId = '123456789012';
const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
const local = 'http://127.0.0.1:4599';

describe('credentialsFromEnv', () => {
  it('reads the key pair and session token from the map it is given', () => {
    // Act
    const read = credentialsFromEnv({
      AWS_ACCESS_KEY_ID: 'AKIDTEST',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
    });

    // Assess
    expect(read).toEqual({ accessKeyId: 'AKIDTEST', secretAccessKey: 'secret', sessionToken: 'token' });
  });

  it('leaves the default chain in charge unless both keys are set', () => {
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'AKIDTEST' })).toBeUndefined();
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: ' ', AWS_SECRET_ACCESS_KEY: 'secret' })).toBeUndefined();
  });
});

describe('endpointOptionsFromEnv', () => {
  it('reads the global and per-service endpoint variables', () => {
    // Prepare
    const env = { AWS_ENDPOINT_URL: local, AWS_ENDPOINT_URL_S3_CONTROL: 'http://127.0.0.1:4600', HOME: '/x' };

    // Act
    const endpoints = endpointOptionsFromEnv(env);

    // Assess
    expect(endpoints).toEqual({ default: local, s3control: 'http://127.0.0.1:4600' });
  });

  it('reads every service variable', () => {
    const endpoints = endpointOptionsFromEnv({
      AWS_ENDPOINT_URL_S3: 'http://s3.local:1',
      AWS_ENDPOINT_URL_S3_CONTROL: 'http://s3control.local:2',
      AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://events.local:3',
      AWS_ENDPOINT_URL_SFN: 'http://sfn.local:4',
      AWS_ENDPOINT_URL_LAMBDA: 'http://lambda.local:5',
    });

    expect(endpoints).toEqual({
      s3: 'http://s3.local:1',
      s3control: 'http://s3control.local:2',
      eventbridge: 'http://events.local:3',
      sfn: 'http://sfn.local:4',
      lambda: 'http://lambda.local:5',
    });
  });

  it('treats empty values as unset', () => {
    expect(endpointOptionsFromEnv({ AWS_ENDPOINT_URL: '', AWS_ENDPOINT_URL_S3: '  ' })).toEqual({});
  });

  it('rejects a value that is not an http(s) URL, naming the variable', () => {
    expect(() => endpointOptionsFromEnv({ AWS_ENDPOINT_URL_SFN: 'localhost:4599' })).toThrow(
      ConfigurationError,
    );
    expect(() => endpointOptionsFromEnv({ AWS_ENDPOINT_URL_SFN: 'not a url' })).toThrow(
      /AWS_ENDPOINT_URL_SFN/,
    );
  });
});

describe('client options', () => {
  it('rejects an unknown option key, naming it', () => {
    // Prepare
    const options = { region: 'us-east-1', endpoint: local } as unknown as Parameters<
      typeof createS3Client
    >[0];

    // Act
    const act = () => createS3Client(options);

    // Assess
    expect(act).toThrow(ConfigurationError);
    expect(act).toThrow(/createS3Client\.endpoint: unknown option/);
  });

  it('rejects an unknown endpoints key', () => {
    const options = { region: 'us-east-1', endpoints: { s3Control: local } } as never;

    expect(() => createAwsClientFactory(options)).toThrow(/endpoints\.s3Control: unknown option/);
  });

  it('rejects a missing region and a bad maxAttempts', () => {
    expect(() => createS3ControlClient({} as never)).toThrow(/region/);
    expect(() => createS3ControlClient({ region: 'us-east-1', maxAttempts: 0 })).toThrow(/maxAttempts/);
  });
});

describe('S3 Control client', () => {
  it('sends to the configured endpoint unchanged, without the account id prefix', async () => {
    // Prepare
    const endpoints = endpointOptionsFromEnv({ AWS_ENDPOINT_URL: local });
    const client = createS3ControlClient({ region: 'us-east-1', endpoints, credentials });
    const requests = captureRequests(client);

    // Act
    await client.send(new DescribeJobCommand({ AccountId: accountId, JobId: 'job-1' }));

    // Assess
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4599,
      path: '/v20180820/jobs/job-1',
    });
    expect(requests[0]?.headers['x-amz-account-id']).toBe(accountId);
  });

  it('resolves the endpoint provider to the configured URL even when the rules would add the account', async () => {
    const client = createS3ControlClient({ region: 'us-east-1', endpoints: { s3control: local } });

    const endpoint = await client.config.endpointProvider(
      { Region: 'us-east-1', AccountId: accountId, RequiresAccountId: true, Endpoint: local },
      {},
    );

    expect(endpoint.url.href).toBe(`${local}/`);
  });

  it('keeps AWS account-prefixed host when no endpoint is configured', async () => {
    const client = createS3ControlClient({ region: 'us-east-1', credentials });
    const requests = captureRequests(client);

    await client.send(new DescribeJobCommand({ AccountId: accountId, JobId: 'job-1' }));

    expect(requests[0]?.hostname).toBe(`${accountId}.s3-control.us-east-1.amazonaws.com`);
  });

  describe('with AWS_ENDPOINT_URL in the process environment', () => {
    afterEach(() => {
      vi.unstubAllEnvs();
    });

    it('ignores it unless passed in through endpoints (configuration enters at the edge)', async () => {
      vi.stubEnv('AWS_ENDPOINT_URL', local);
      const client = createS3ControlClient({ region: 'us-east-1', credentials });
      const requests = captureRequests(client);

      await client.send(new DescribeJobCommand({ AccountId: accountId, JobId: 'job-1' }));

      expect(requests[0]?.hostname).toBe(`${accountId}.s3-control.us-east-1.amazonaws.com`);
    });
  });
});

describe('S3 client', () => {
  it('uses path-style addressing with a configured endpoint', async () => {
    // Prepare
    const client = createS3Client({ region: 'us-east-1', endpoints: { default: local }, credentials });
    const requests = captureRequests(client);

    // Act
    await client.send(new GetObjectCommand({ Bucket: 'manifests', Key: 'in/manifest.csv' }));

    // Assess
    expect(requests[0]).toMatchObject({
      hostname: '127.0.0.1',
      port: 4599,
      path: '/manifests/in/manifest.csv',
    });
  });

  it('lets the per-service variable win over the global one', async () => {
    // Prepare
    const endpoints = endpointOptionsFromEnv({
      AWS_ENDPOINT_URL: local,
      AWS_ENDPOINT_URL_S3: 'http://localhost:4700',
    });
    const s3 = createS3Client({ region: 'us-east-1', endpoints, credentials });
    const s3Control = createS3ControlClient({ region: 'us-east-1', endpoints, credentials });
    const s3Requests = captureRequests(s3);
    const controlRequests = captureRequests(s3Control);

    // Act
    await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }));
    await s3Control.send(new DescribeJobCommand({ AccountId: accountId, JobId: 'job-1' }));

    // Assess
    expect(s3Requests[0]).toMatchObject({ hostname: 'localhost', port: 4700, path: '/b/k' });
    expect(controlRequests[0]).toMatchObject({ hostname: '127.0.0.1', port: 4599 });
  });
});

describe('createAwsClientFactory', () => {
  it("configures the retry strategy (default 3 attempts, the SDK's standard mode default)", async () => {
    const factory = createAwsClientFactory({ region: 'eu-west-1' });

    const config = factory.s3Control().config;

    expect(defaultMaxAttempts).toBe(3);
    expect(await config.maxAttempts()).toBe(3);
    expect(await config.retryStrategy()).toMatchObject({ mode: 'standard' });
  });

  it('passes maxAttempts and retryMode through', async () => {
    const factory = createAwsClientFactory({ region: 'eu-west-1', maxAttempts: 8, retryMode: 'adaptive' });

    const config = factory.eventBridge().config;

    expect(await config.maxAttempts()).toBe(8);
    expect(await config.retryStrategy()).toMatchObject({ mode: 'adaptive' });
  });

  it('builds each client once, on first use', () => {
    const factory = createAwsClientFactory({ region: 'eu-west-1' });

    expect(factory.s3()).toBe(factory.s3());
    expect(factory.sfn()).toBe(factory.sfn());
  });

  it('returns an injected client as is (bring your own client)', () => {
    // Prepare
    const sfn = new SFNClient({ region: 'ap-southeast-2' });

    // Act
    const factory = createAwsClientFactory({ region: 'eu-west-1', clients: { sfn } });

    // Assess
    expect(factory.sfn()).toBe(sfn);
  });

  it('rejects an unknown injected client key', () => {
    expect(() =>
      createAwsClientFactory({ region: 'eu-west-1', clients: { s3control: {} } as never }),
    ).toThrow(/clients\.s3control: unknown option/);
  });
});
