/**
 * Raw bad calls at the embedded local AWS, as a client that skips the SDK's own checks would send them: each
 * must be answered with the AWS error code the real service uses, and the server must keep serving. No vitest
 * here: the bench runs this scenario too.
 */
import { request } from 'node:http';
import { type LocalAws, startLocalAws } from '../../../emulator/local-aws.js';

export interface RawCall {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** The AWS error code (S3 `<Code>`, JSON `__type`) this call must be answered with. */
  expectedCode: string;
}

export interface RawAnswer {
  status: number;
  code: string | undefined;
}

/** Sends one raw HTTP request (10 s at most) and reads the AWS error code out of its answer. */
export function sendRaw(url: string, call: Omit<RawCall, 'name' | 'expectedCode'>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    // Host, port and path apart: a URL string would have its `..` segments normalised away by the client.
    const { hostname, port } = new URL(url);
    const req = request(
      { hostname, port, path: call.path, method: call.method, headers: call.headers ?? {}, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const xml = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
          let json: string | undefined;
          try {
            json = (JSON.parse(text) as { __type?: string }).__type;
          } catch {
            json = undefined;
          }
          const header = res.headers['x-amzn-errortype'];
          resolve({
            status: res.statusCode ?? 0,
            code: xml ?? json ?? (typeof header === 'string' ? header : undefined),
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${call.method} ${call.path} timed out`)));
    req.on('error', reject);
    req.end(call.body);
  });
}

const ACCOUNT = '123456789012';
const events = (target: string, body: unknown): Omit<RawCall, 'name' | 'expectedCode'> => ({
  method: 'POST',
  path: '/',
  headers: { 'x-amz-target': `AWSEvents.${target}`, 'content-type': 'application/x-amz-json-1.1' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const createJob = (xml: string): Omit<RawCall, 'name' | 'expectedCode'> => ({
  method: 'POST',
  path: '/v20180820/jobs',
  headers: { 'x-amz-account-id': ACCOUNT, 'content-type': 'application/xml' },
  body: `<?xml version="1.0" encoding="UTF-8"?><CreateJobRequest xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/">${xml}</CreateJobRequest>`,
});
const JOB_REPORT =
  '<Report><Bucket>arn:aws:s3:::reports</Bucket><Enabled>true</Enabled><Format>Report_CSV_20180820</Format><ReportScope>AllTasks</ReportScope></Report>';
const JOB_MANIFEST =
  '<Manifest><Spec><Format>S3BatchOperations_CSV_20180820</Format><Fields><member>Bucket</member><member>Key</member></Fields></Spec><Location><ObjectArn>arn:aws:s3:::data/manifest.csv</ObjectArn><ETag>abc</ETag></Location></Manifest>';
const JOB_OPERATION = '<Operation><S3PutObjectTagging><TagSet/></S3PutObjectTagging></Operation>';
const ROLE = '<RoleArn>arn:aws:iam::123456789012:role/batch</RoleArn>';

/** The corpus: bad CreateJob, PutObject and PutEvents calls and the codes AWS answers them with. */
export function rawBadCalls(): RawCall[] {
  const entry = { Source: 'test', DetailType: 'test', Detail: '{}' };
  return [
    {
      name: 'CreateJob: not XML',
      ...createJob(''),
      body: 'not xml at all',
      expectedCode: 'BadRequestException',
    },
    {
      name: 'CreateJob: no Operation',
      ...createJob(
        `<ClientRequestToken>t1</ClientRequestToken><Priority>1</Priority>${ROLE}${JOB_REPORT}${JOB_MANIFEST}`,
      ),
      expectedCode: 'BadRequestException',
    },
    {
      name: 'CreateJob: no RoleArn',
      ...createJob(
        `<ClientRequestToken>t2</ClientRequestToken><Priority>1</Priority>${JOB_OPERATION}${JOB_REPORT}${JOB_MANIFEST}`,
      ),
      expectedCode: 'BadRequestException',
    },
    {
      name: 'CreateJob: Priority not a number',
      ...createJob(
        `<ClientRequestToken>t3</ClientRequestToken><Priority>high</Priority>${ROLE}${JOB_OPERATION}${JOB_REPORT}${JOB_MANIFEST}`,
      ),
      expectedCode: 'BadRequestException',
    },
    {
      name: 'CreateJob: bad manifest ARN',
      ...createJob(
        `<ClientRequestToken>t4</ClientRequestToken><Priority>1</Priority>${ROLE}${JOB_OPERATION}${JOB_REPORT}${JOB_MANIFEST.replace('arn:aws:s3:::data/manifest.csv', 'not-an-arn')}`,
      ),
      expectedCode: 'BadRequestException',
    },
    {
      name: 'CreateJob: bad report bucket',
      ...createJob(
        `<ClientRequestToken>t5</ClientRequestToken><Priority>1</Priority>${ROLE}${JOB_OPERATION}${JOB_REPORT.replace('arn:aws:s3:::reports', 'arn:aws:s3:::Bad_Bucket!')}${JOB_MANIFEST}`,
      ),
      expectedCode: 'BadRequestException',
    },
    {
      name: 'PutObject: bucket name with ..',
      method: 'PUT',
      path: '/a..%2F..%2Fescape/key',
      body: 'x',
      expectedCode: 'InvalidBucketName',
    },
    {
      name: 'PutObject: bucket name with NUL',
      method: 'PUT',
      path: '/bad%00bucket/key',
      body: 'x',
      expectedCode: 'InvalidBucketName',
    },
    {
      name: 'PutObject: key over 1,024 bytes',
      method: 'PUT',
      path: `/data/${'k'.repeat(1025)}`,
      body: 'x',
      expectedCode: 'KeyTooLongError',
    },
    {
      name: 'PutObject: missing bucket',
      method: 'PUT',
      path: '/no-such-bucket-here/key',
      body: 'x',
      expectedCode: 'NoSuchBucket',
    },
    {
      name: 'PutObject: bad storage class',
      method: 'PUT',
      path: '/data/key',
      headers: { 'x-amz-storage-class': 'CHEAP' },
      body: 'x',
      expectedCode: 'InvalidStorageClass',
    },
    {
      name: 'PutEvents: body not JSON',
      ...events('PutEvents', '{"Entries": ['),
      expectedCode: 'SerializationException',
    },
    { name: 'PutEvents: no Entries', ...events('PutEvents', {}), expectedCode: 'ValidationException' },
    {
      name: 'PutEvents: 11 entries',
      ...events('PutEvents', { Entries: Array.from({ length: 11 }, () => entry) }),
      expectedCode: 'ValidationException',
    },
    {
      name: 'PutEvents: entries over 256 KB',
      ...events('PutEvents', {
        Entries: [{ ...entry, Detail: JSON.stringify({ big: 'x'.repeat(300_000) }) }],
      }),
      expectedCode: 'ValidationException',
    },
    {
      name: 'PutEvents: request over 1 MiB',
      ...events('PutEvents', {
        Entries: [{ ...entry, Detail: JSON.stringify({ big: 'x'.repeat(1_100_000) }) }],
      }),
      expectedCode: 'RequestEntityTooLargeException',
    },
  ];
}

export interface RawBadCallsResult {
  calls: number;
  answeredWithAwsCode: number;
  serverStillServing: boolean;
  /** Calls whose answer was not the expected code, with what came back. */
  mismatches: { name: string; expected: string; got: string | undefined; status: number }[];
}

/** Starts an in-memory local AWS on a free loopback port, sends the corpus, then checks a good call still works. */
export async function runRawBadCallsScenario(): Promise<RawBadCallsResult> {
  const aws: LocalAws = await startLocalAws({ inMemory: true, port: 0 });
  try {
    aws.s3.backend.ensureBucket('data');
    const calls = rawBadCalls();
    const mismatches: RawBadCallsResult['mismatches'] = [];
    for (const call of calls) {
      const answer = await sendRaw(aws.url, call);
      if (answer.code !== call.expectedCode || answer.status < 400) {
        mismatches.push({
          name: call.name,
          expected: call.expectedCode,
          got: answer.code,
          status: answer.status,
        });
      }
    }
    const good = await sendRaw(aws.url, { method: 'PUT', path: '/data/still-serving', body: 'ok' });
    return {
      calls: calls.length,
      answeredWithAwsCode: calls.length - mismatches.length,
      serverStillServing: good.status === 200,
      mismatches,
    };
  } finally {
    await aws.stop();
  }
}
