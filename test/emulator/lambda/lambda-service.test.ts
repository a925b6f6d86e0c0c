import {
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLambdaService, functionNameOf, type LambdaService } from '../../../emulator/lambda/index.js';
import { ACCOUNT_ID, CREDENTIALS, createFaultInjector, REGION, serveServices } from '../kit.js';

class JobNotFoundError extends Error {
  override name = 'JobNotFoundError';
}

const decode = (bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes));
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('Lambda emulator over the wire', () => {
  let lambda: LambdaService;
  let server: Awaited<ReturnType<typeof serveServices>>;
  let client: LambdaClient;
  const seen: { event: unknown; functionName: string; arn: string; remaining: number; requestId: string }[] =
    [];

  beforeEach(async () => {
    seen.length = 0;
    lambda = createLambdaService({ region: REGION, accountId: ACCOUNT_ID });
    lambda.registerFunction(
      'echo',
      async (event, context) => {
        seen.push({
          event,
          functionName: context.functionName,
          arn: context.invokedFunctionArn,
          remaining: context.getRemainingTimeInMillis(),
          requestId: context.awsRequestId,
        });
        return { echoed: event };
      },
      { timeoutSeconds: 30, environment: { GREETING: 'hello' } },
    );
    lambda.registerFunction('fail', async () => {
      throw new JobNotFoundError('job j-1 does not exist');
    });
    lambda.registerFunction('slow', () => new Promise((resolve) => setTimeout(resolve, 2000)), {
      timeoutSeconds: 0.05,
    });
    server = await serveServices({ lambda: lambda.handler });
    client = new LambdaClient({
      endpoint: server.url,
      region: REGION,
      credentials: CREDENTIALS,
      maxAttempts: 1,
    });
  });

  afterEach(async () => {
    client.destroy();
    await server.close();
  });

  it('returns the handler result as the payload and calls it with a Lambda-like context', async () => {
    const response = await client.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: encode({ jobId: 'j-1' }) }),
    );

    expect(response.StatusCode).toBe(200);
    expect(response.FunctionError).toBeUndefined();
    expect(decode(response.Payload)).toEqual({ echoed: { jobId: 'j-1' } });
    expect(seen[0]).toMatchObject({
      event: { jobId: 'j-1' },
      functionName: 'echo',
      arn: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:echo`,
    });
    expect(seen[0]!.remaining).toBeGreaterThan(29_000);
    expect(seen[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts a full ARN with a qualifier as the function name', async () => {
    const response = await client.send(
      new InvokeCommand({
        FunctionName: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:echo:live`,
        Payload: encode(1),
      }),
    );
    expect(decode(response.Payload)).toEqual({ echoed: 1 });
  });

  it('surfaces a thrown error as FunctionError Unhandled with the error name as errorType', async () => {
    const response = await client.send(new InvokeCommand({ FunctionName: 'fail', Payload: encode({}) }));

    expect(response.StatusCode).toBe(200);
    expect(response.FunctionError).toBe('Unhandled');
    const body = decode(response.Payload);
    expect(body).toMatchObject({ errorType: 'JobNotFoundError', errorMessage: 'job j-1 does not exist' });
    expect(Array.isArray(body.trace)).toBe(true);
  });

  it('reports a timeout as Sandbox.Timedout', async () => {
    const response = await client.send(new InvokeCommand({ FunctionName: 'slow' }));
    expect(response.FunctionError).toBe('Unhandled');
    expect(decode(response.Payload)).toMatchObject({ errorType: 'Sandbox.Timedout' });
  });

  it('answers ResourceNotFoundException for an unknown function', async () => {
    const invoke = client.send(new InvokeCommand({ FunctionName: 'nope' }));
    await expect(invoke).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(invoke).rejects.toThrow(
      `Function not found: arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:nope`,
    );
  });

  it('runs Event invocations asynchronously (202) and DryRun without running (204)', async () => {
    const queued = await client.send(
      new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: encode({ a: 1 }) }),
    );
    expect(queued.StatusCode).toBe(202);
    await lambda.drain();
    expect(seen.map((call) => call.event)).toEqual([{ a: 1 }]);
    expect(lambda.asyncInvocations()).toMatchObject([{ functionName: 'echo', ok: true }]);

    const dry = await client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun' }));
    expect(dry.StatusCode).toBe(204);
    expect(seen).toHaveLength(1);
  });

  it('lists and describes registered functions', async () => {
    const { Functions } = await client.send(new ListFunctionsCommand({}));
    expect(Functions?.map((f) => f.FunctionName)).toEqual(['echo', 'fail', 'slow']);
    const { Configuration } = await client.send(new GetFunctionCommand({ FunctionName: 'echo' }));
    expect(Configuration).toMatchObject({ FunctionName: 'echo', Timeout: 30, State: 'Active' });
  });

  it("shows each function's own environment variables, and none for a function without", async () => {
    // Act
    const echo = await client.send(new GetFunctionCommand({ FunctionName: 'echo' }));
    const fail = await client.send(new GetFunctionCommand({ FunctionName: 'fail' }));

    // Assess
    expect(echo.Configuration?.Environment).toEqual({ Variables: { GREETING: 'hello' } });
    expect(fail.Configuration?.Environment).toBeUndefined();
  });

  it('answers an injected fault with its code instead of invoking', async () => {
    const faulty = createLambdaService({
      region: REGION,
      accountId: ACCOUNT_ID,
      faults: createFaultInjector({ throttleFirst: { 'lambda:Invoke': 1 } }),
    });
    faulty.registerFunction('echo', async (event) => event);
    const faultyServer = await serveServices({ lambda: faulty.handler });
    const faultyClient = new LambdaClient({
      endpoint: faultyServer.url,
      region: REGION,
      credentials: CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      await expect(faultyClient.send(new InvokeCommand({ FunctionName: 'echo' }))).rejects.toMatchObject({
        name: 'TooManyRequestsException',
      });
      // Only the first call was throttled: the next one invokes the function.
      const next = await faultyClient.send(
        new InvokeCommand({ FunctionName: 'echo', Payload: encode({ n: 1 }) }),
      );
      expect(decode(next.Payload)).toEqual({ n: 1 });
    } finally {
      faultyClient.destroy();
      await faultyServer.close();
    }
  });
});

describe('LambdaInvoker', () => {
  it('resolves with the JSON result', async () => {
    const lambda = createLambdaService({ region: REGION, accountId: ACCOUNT_ID });
    lambda.registerFunction(
      'add',
      async (event) => (event as { a: number; b: number }).a + (event as { b: number }).b,
    );
    await expect(lambda.invoker.invoke('add', { a: 1, b: 2 })).resolves.toBe(3);
  });

  it('rejects with an Error named after the errorType so Retry/Catch can route on it', async () => {
    const lambda = createLambdaService({ region: REGION, accountId: ACCOUNT_ID });
    lambda.registerFunction('fail', async () => {
      throw new JobNotFoundError('gone');
    });
    const error = await lambda.invoker.invoke('fail', {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'JobNotFoundError',
      message: 'gone',
      errorType: 'JobNotFoundError',
      errorMessage: 'gone',
    });
  });

  it('rejects with ResourceNotFoundException for an unknown function', async () => {
    const lambda = createLambdaService({ region: REGION, accountId: ACCOUNT_ID });
    await expect(lambda.invoker.invoke('missing', {})).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});

describe('functionNameOf', () => {
  it.each([
    ['my-fn', 'my-fn'],
    ['my-fn:prod', 'my-fn'],
    ['123456789012:function:my-fn', 'my-fn'],
    ['arn:aws:lambda:us-east-1:123456789012:function:my-fn', 'my-fn'],
    ['arn:aws:lambda:us-east-1:123456789012:function:my-fn:$LATEST', 'my-fn'],
  ])('reads %s as %s', (input, expected) => {
    expect(functionNameOf(input)).toBe(expected);
  });
});
