import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ReportIntegrityError } from '../../../src/core/errors.js';
import { parseReportManifest } from '../../../src/core/report/report-manifest.js';

const awsExample = () => readFile(new URL('../../fixtures/report-manifest.json', import.meta.url), 'utf8');

describe('parseReportManifest', () => {
  it('parses the AWS documentation example', async () => {
    // Prepare
    const text = await awsExample();

    // Act
    const manifest = parseReportManifest(text);

    // Assess
    expect(manifest.Format).toBe('Report_CSV_20180820');
    expect(manifest.ReportCreationDate).toBe('2019-04-05T17:48:39.725Z');
    expect(manifest.ReportSchema).toBe(
      'Bucket, Key, VersionId, TaskStatus, ErrorCode, HTTPStatusCode, ResultMessage',
    );
    expect(manifest.Results).toEqual([
      {
        TaskExecutionStatus: 'succeeded',
        Bucket: 'my-job-reports',
        MD5Checksum: '83b1c4cbe93fc893f54053697e10fd6e',
        Key: 'job-f8fb9d89-a3aa-461d-bddc-ea6a1b131955/results/6217b0fab0de85c408b4be96aeaca9b195a7daa5.csv',
      },
      {
        TaskExecutionStatus: 'failed',
        Bucket: 'my-job-reports',
        MD5Checksum: '22ee037f3515975f7719699e5c416eaa',
        Key: 'job-f8fb9d89-a3aa-461d-bddc-ea6a1b131955/results/b2ddad417e94331e9f37b44f1faf8c7ed5873f2e.csv',
      },
    ]);
  });

  it('accepts bytes as well as text', async () => {
    // Act
    const manifest = parseReportManifest(Buffer.from(await awsExample()));

    // Assess
    expect(manifest.Results).toHaveLength(2);
  });

  it('accepts a report with no result files', () => {
    expect(parseReportManifest('{"Format":"Report_CSV_20180820","Results":[]}').Results).toEqual([]);
  });

  it.each([
    ['text that is not JSON', '{"Format":', /not valid JSON/],
    ['a JSON array', '[]', /expected a JSON object/],
    ['a missing Format', '{"Results":[]}', /Format/],
    ['a missing Results', '{"Format":"Report_CSV_20180820"}', /Results must be an array/],
    ['an unparseable ReportCreationDate', '{"Format":"F","ReportCreationDate":"soon","Results":[]}', /Date/],
    [
      'an unknown TaskExecutionStatus',
      '{"Format":"F","Results":[{"TaskExecutionStatus":"ok","Bucket":"b","Key":"k","MD5Checksum":"83b1c4cbe93fc893f54053697e10fd6e"}]}',
      /Results\[0\]\.TaskExecutionStatus/,
    ],
    [
      'a result without a Bucket',
      '{"Format":"F","Results":[{"TaskExecutionStatus":"failed","Key":"k","MD5Checksum":"83b1c4cbe93fc893f54053697e10fd6e"}]}',
      /Results\[0\]\.Bucket/,
    ],
    [
      'an MD5Checksum that is not 32 hex digits',
      '{"Format":"F","Results":[{"TaskExecutionStatus":"failed","Bucket":"b","Key":"k","MD5Checksum":"abc"}]}',
      /Results\[0\]\.MD5Checksum/,
    ],
  ])('rejects %s with a ReportIntegrityError naming the source', (_case, text, reason) => {
    // Act
    const parse = () => parseReportManifest(text, 's3://reports/job-1/manifest.json');

    // Assess
    expect(parse).toThrow(ReportIntegrityError);
    expect(parse).toThrow(reason);
    expect(parse).toThrow(/^s3:\/\/reports\/job-1\/manifest\.json: /);
  });
});
