import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ReportIntegrityError } from '../../../src/core/errors.js';
import {
  decodeReportKey,
  forEachReportRow,
  parseReportRows,
  type ReportRow,
} from '../../../src/core/report/result-rows.js';
import { ROWS_PER_SCAN } from '../../../src/core/report/row-scanner.js';
import { type ReportSummary, ReportSummaryBuilder } from '../../../src/core/report/summary.js';

async function* chunksOf(text: string | Buffer, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function* strings(...parts: string[]): AsyncGenerator<string> {
  yield* parts;
}

async function parseAll(source: AsyncIterable<Uint8Array | string>): Promise<ReportRow[]> {
  const rows: ReportRow[] = [];
  for await (const row of parseReportRows(source)) rows.push(row);
  return rows;
}

const fixture = (name: string) => readFile(new URL(`../../fixtures/report/${name}`, import.meta.url));

/** A multi-line message with commas, escaped quotes and both newline styles. */
const trickyMessage = 'Error: "AccessDenied", key a,b\r\nsecond line\nthird "line", end';
const csvQuote = (text: string) => `"${text.replaceAll('"', '""')}"`;
const trickyReport =
  `bucket-a,photos/a%20b.jpg,v1,failed,403,AccessDenied,${csvQuote(trickyMessage)}\r\n` +
  'bucket-a,photos/c.jpg,,succeeded,200,,Successful\r\n' +
  `bucket-b,x%2Cy+z,,failed,PermanentFailure,500,${csvQuote('boom')}\n`;

describe('parseReportRows', () => {
  it('parses the AWS documentation row, where the HTTP status comes before the error code', async () => {
    // Prepare
    const body = await fixture('lambda-failed-results.csv');

    // Act
    const rows = await parseAll(chunksOf(body, 64));

    // Assess
    expect(rows).toEqual([
      {
        bucket: 'awsexamplebucket1',
        key: 'image_14975',
        rawKey: 'image_14975',
        versionId: undefined,
        taskStatus: 'failed',
        errorCode: 'PermanentFailure',
        httpStatus: 200,
        resultMessage:
          'Lambda returned function error: {"errorMessage":"2019-04-05T17:35:21.155Z ' +
          '2845ca0d-38d9-4c4b-abcf-379dc749c452 Task timed out after 3.00 seconds"}',
      },
    ]);
  });

  it('accepts the schema order too: the numeric column is the HTTP status', async () => {
    // Prepare
    const report = 'b,k1,,failed,200,PermanentFailure,m\nb,k2,,failed,PermanentFailure,200,m\n';

    // Act
    const rows = await parseAll(strings(report));

    // Assess
    expect(rows.map((r) => [r.errorCode, r.httpStatus])).toEqual([
      ['PermanentFailure', 200],
      ['PermanentFailure', 200],
    ]);
  });

  it('gives an empty error code and a null status when the row has neither', async () => {
    // Prepare
    const report = 'b,k1,,succeeded,,,\nb,k2,,failed,,TemporaryFailure,x\nb,k3,,succeeded,200,,\n';

    // Act
    const rows = await parseAll(strings(report));

    // Assess
    expect(rows.map((r) => [r.errorCode, r.httpStatus])).toEqual([
      ['', null],
      ['TemporaryFailure', null],
      ['', 200],
    ]);
  });

  it('keeps commas, escaped quotes and CRLF/LF newlines inside a quoted message', async () => {
    // Act
    const rows = await parseAll(strings(trickyReport));

    // Assess
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ versionId: 'v1', httpStatus: 403, resultMessage: trickyMessage });
    expect(rows[1]).toMatchObject({ key: 'photos/c.jpg', resultMessage: 'Successful', versionId: undefined });
    expect(rows[2]).toMatchObject({ errorCode: 'PermanentFailure', httpStatus: 500, resultMessage: 'boom' });
  });

  it('parses the same rows whatever the chunk boundaries, down to one byte at a time', async () => {
    // Prepare
    const expected = await parseAll(strings(trickyReport));

    for (let size = 1; size <= Buffer.byteLength(trickyReport) + 1; size++) {
      // Act
      const rows = await parseAll(chunksOf(trickyReport, size));

      // Assess
      expect(rows, `chunk size ${size}`).toEqual(expected);
    }
  });

  it('splits a quoted field at every possible byte boundary', async () => {
    // Prepare
    const bytes = Buffer.from(trickyReport);
    const expected = await parseAll(strings(trickyReport));

    for (let cut = 1; cut < bytes.length; cut++) {
      // Act
      const rows = await parseAll(
        (async function* () {
          yield bytes.subarray(0, cut);
          yield bytes.subarray(cut);
        })(),
      );

      // Assess
      expect(rows, `cut at ${cut}`).toEqual(expected);
    }
  });

  it('decodes multi-byte UTF-8 split across chunks', async () => {
    // Prepare
    const report = 'b,caf%C3%A9,,failed,404,NoSuchKey,"clé ✓ introuvable"\n';

    // Act
    const rows = await parseAll(chunksOf(report, 1));

    // Assess
    expect(rows[0]).toMatchObject({ key: 'café', resultMessage: 'clé ✓ introuvable' });
  });

  it('URL-decodes keys and keeps the raw key', async () => {
    // Prepare: the CSV manifest example of the S3 User Guide
    const report = 'Examplebucket,object%20key%20with%20spaces,,succeeded,200,,Successful\n';

    // Act
    const [row] = await parseAll(strings(report));

    // Assess
    expect(row).toMatchObject({ key: 'object key with spaces', rawKey: 'object%20key%20with%20spaces' });
  });

  it('reads the last row without a trailing newline, and skips blank lines', async () => {
    // Prepare
    const report = '\nb,k1,,succeeded,200,,ok\n\r\n\nb,k2,,succeeded,200,,"last"';

    // Act
    const rows = await parseAll(chunksOf(report, 3));

    // Assess
    expect(rows.map((r) => [r.key, r.resultMessage])).toEqual([
      ['k1', 'ok'],
      ['k2', 'last'],
    ]);
  });

  it('yields nothing for an empty file', async () => {
    // Act
    const rows = await parseAll(strings());
    const fromEmptyChunks = await parseAll(strings('', ''));

    // Assess
    expect(rows).toEqual([]);
    expect(fromEmptyChunks).toEqual([]);
  });

  it('rejects an unterminated quoted message as a ReportIntegrityError naming the source', async () => {
    // Prepare
    const report = 'b,k1,,succeeded,200,,ok\nb,k2,,failed,500,InternalError,"never closed\n';

    // Act
    const parsing = forEachReportRow(strings(report), () => {}, { source: 's3://r/results/x.csv' });

    // Assess
    await expect(parsing).rejects.toThrow(ReportIntegrityError);
    await expect(
      forEachReportRow(strings(report), () => {}, { source: 's3://r/results/x.csv' }),
    ).rejects.toThrow(/s3:\/\/r\/results\/x\.csv: row 2/);
  });

  it('bounds memory: a row longer than maxRowBytes is rejected instead of buffered', async () => {
    // Prepare
    const report = `b,k,,failed,500,InternalError,"${'x'.repeat(10_000)}`;

    // Act
    const parsing = forEachReportRow(chunksOf(report, 512), () => {}, { maxRowBytes: 4096 });

    // Assess
    await expect(parsing).rejects.toThrow(/longer than 4096 bytes/);
  });

  it('carries a row spanning many chunks without rescanning it quadratically', async () => {
    // Prepare: one 2 MB message fed 1 KB at a time, then a normal row
    const big = 'y'.repeat(2 * 1024 * 1024);
    const report = `b,k1,,failed,500,InternalError,"${big}"\nb,k2,,succeeded,200,,ok\n`;

    // Act
    const started = performance.now();
    const rows = await parseAll(chunksOf(report, 1024));
    const elapsedMs = performance.now() - started;

    // Assess
    expect(rows.map((r) => r.resultMessage.length)).toEqual([big.length, 2]);
    expect(elapsedMs).toBeLessThan(2_000);
  });
});

describe('forEachReportRow', () => {
  it('exposes a reused view whose toRow() is a standalone copy', async () => {
    // Prepare
    const kept: ReportRow[] = [];
    const statuses: boolean[] = [];

    // Act
    const count = await forEachReportRow(chunksOf(trickyReport, 5), (view) => {
      statuses.push(view.succeeded);
      kept.push(view.toRow());
    });

    // Assess
    expect(count).toBe(3);
    expect(statuses).toEqual([false, true, false]);
    expect(kept).toEqual(await parseAll(strings(trickyReport)));
  });

  it('numbers rows by position in the file', async () => {
    // Prepare
    const numbers: number[] = [];

    // Act
    await forEachReportRow(strings(trickyReport), (view) => numbers.push(view.rowNumber));

    // Assess
    expect(numbers).toEqual([1, 2, 3]);
  });
});

describe('decodeReportKey', () => {
  it('decodes percent escapes, including UTF-8 sequences', () => {
    expect(decodeReportKey('photos/jpgs/newjersey/object%20key%E2%9C%93')).toBe(
      'photos/jpgs/newjersey/object key✓',
    );
  });

  it('keeps a plus sign literal: S3 Batch Operations percent-encodes spaces', () => {
    expect(decodeReportKey('a+b%2Bc')).toBe('a+b+c');
  });

  it('leaves a malformed escape as written', () => {
    expect(decodeReportKey('100%done')).toBe('100%done');
  });
});

describe('ReportRowParser chunking', () => {
  it('parses a larger report identically under random chunk sizes', async () => {
    // Prepare: 300 rows mixing both column orders, quoted multi-line messages and encoded keys
    const lines: string[] = [];
    for (let i = 0; i < 300; i++) {
      lines.push(
        i % 4 === 0
          ? `b,k%20${i},v${i},failed,${i % 8 === 0 ? '403,AccessDenied' : 'PermanentFailure,500'},${csvQuote(`m ${i}, "q"\r\nx`)}\n`
          : `b,k%20${i},,succeeded,200,,Successful\r\n`,
      );
    }
    const report = lines.join('');
    const expected = await parseAll(strings(report));
    let seed = 7;
    const nextSize = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return 1 + (seed % 97);
    };

    for (let attempt = 0; attempt < 20; attempt++) {
      // Act
      const bytes = Buffer.from(report);
      const rows = await parseAll(
        (async function* () {
          for (let i = 0; i < bytes.length; ) {
            const size = nextSize();
            yield bytes.subarray(i, i + size);
            i += size;
          }
        })(),
      );

      // Assess
      expect(rows).toEqual(expected);
    }
    expect(expected).toHaveLength(300);
    expect(expected.filter((r) => r.errorCode === 'AccessDenied')).toHaveLength(38);
  });
});

describe('ReportRowParser SIMD scanning', () => {
  it('finds each field at every offset of a 16-byte block, next to bytes one bit away from a delimiter', async () => {
    // Prepare: `-` is `,` ^ 1, `#` is `"` ^ 1 and 0x0B is LF ^ 1, near misses for a byte comparison; shifting
    // the rows by 0-15 blank lines puts each field start at every offset of the scanner's 16-byte loads.
    const rows =
      '\x0bbucket,-key%20a,-v,failed,403,-Code,"#m, ""#q""#"\n' +
      '\x0bb,-k,,succeeded,200,,-ok\n' +
      '-b,-,-,failed,-Code,500,#\n';
    const expected: Partial<ReportRow>[] = [
      {
        bucket: '\x0bbucket',
        key: '-key a',
        versionId: '-v',
        errorCode: '-Code',
        httpStatus: 403,
        resultMessage: '#m, "#q"#',
      },
      {
        bucket: '\x0bb',
        key: '-k',
        versionId: undefined,
        errorCode: '',
        httpStatus: 200,
        resultMessage: '-ok',
      },
      { bucket: '-b', key: '-', versionId: '-', errorCode: '-Code', httpStatus: 500, resultMessage: '#' },
    ];

    for (let shift = 0; shift < 16; shift++) {
      // Act
      const parsed = await parseAll(strings('\n'.repeat(shift) + rows));

      // Assess
      expect(parsed).toMatchObject(expected);
    }
  });

  it('delivers every row of a buffer holding more rows than one scan records, in order', async () => {
    // Prepare: 2,600 rows in one chunk, more than twice ROWS_PER_SCAN.
    const count = ROWS_PER_SCAN * 2 + 552;
    const report = Array.from({ length: count }, (_, i) =>
      i % 3 === 0
        ? `bucket,k${i},,failed,500,InternalError,"row ${i}, ""quoted"""\n`
        : `bucket,k${i},,succeeded,200,,Successful\n`,
    ).join('');
    const seen: string[] = [];
    const numbers: number[] = [];

    // Act
    await forEachReportRow(strings(report), (row) => {
      seen.push(row.key);
      numbers.push(row.rowNumber);
    });

    // Assess
    expect(seen).toEqual(Array.from({ length: count }, (_, i) => `k${i}`));
    expect(numbers).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  });

  it('reads a row larger than the scanner memory held so far, and the small chunks after it', async () => {
    // Prepare: a 300 KB message (the scanner starts with 64 KiB and grows), in 7 KB chunks, then small rows.
    const message = `start ${'x, "y" '.repeat(43_000)}end`;
    const report =
      'bucket,small1,,succeeded,200,,Successful\n' +
      `bucket,big,,failed,500,InternalError,${csvQuote(message)}\n` +
      'bucket,small2,,succeeded,200,,Successful\n';

    // Act
    const rows = await parseAll(chunksOf(report, 7_000));

    // Assess
    expect(rows.map((row) => row.key)).toEqual(['small1', 'big', 'small2']);
    expect(rows[1]?.resultMessage).toBe(message);
  });

  it('ends a last row without a newline at the end of the bytes, not at what memory holds past them', async () => {
    // Prepare: a first chunk full of delimiters, then the last row alone, with no newline: it is scanned from
    // memory where the first chunk's commas still lie just past its end.
    const first = 'bucket,k,,succeeded,200,,Successful\n'.repeat(100);
    const last = 'bucket,last,,failed,500,Code,message';
    const fields: { end: number; length: number }[] = [];

    // Act
    await forEachReportRow(strings(first, last), (row) => {
      if (row.rawKey === 'last') fields.push({ end: row.ends[row.fieldCount - 1]!, length: row.buf.length });
    });

    // Assess
    expect(fields).toEqual([{ end: last.length, length: last.length }]);
  });

  it('numbers the row of an unterminated quote found after more rows than one scan records', async () => {
    // Prepare
    const good = 'bucket,k,,succeeded,200,,Successful\n'.repeat(ROWS_PER_SCAN + 10);
    const report = `${good}bucket,k,,failed,500,InternalError,"never closed\n`;

    // Act
    const parsing = parseAll(strings(report));

    // Assess
    await expect(parsing).rejects.toThrow(ReportIntegrityError);
    await expect(parsing).rejects.toThrow(`row ${ROWS_PER_SCAN + 11}: unterminated quoted field`);
  });
});

describe('ReportRowParser chunk boundaries, as the summary sees them', () => {
  /**
   * Every shape the parser must keep across a chunk boundary: both column orders, 6- and 7-column rows and
   * an extra column, URL-encoded keys, CRLF, quoted multi-line messages with commas and doubled quotes
   * (one starting with a doubled quote, one longer than the word scan before memchr takes over), multi-byte
   * UTF-8 in quoted and unquoted fields, and a quote inside an unquoted field (data, not a delimiter).
   */
  const edgeReport = [
    `bucket-a,photos/caf%C3%A9%20%E2%9C%93.jpg,v1,failed,200,PermanentFailure,${csvQuote('Lambda: {"errorMessage":"a, b\n"}')}\n`,
    'bucket-a,k%2Cplain,,succeeded,200,,Successful\r\n',
    `bucket-b,k3,,failed,AccessDenied,403,${csvQuote('"quoted" first, then ✓ and\r\nmore')}\r\n`,
    'bucket-b,k4,,failed,500,InternalError\n',
    `bucket-b,k5,v5,failed,404,NoSuchKey,${csvQuote(`${'x'.repeat(300)}, "tail"`)},extra column\n`,
    'bucket-c,k6 "odd",,succeeded,200,,naïve résumé ✓\n',
    `bucket-c,k7,,failed,,TemporaryFailure,${csvQuote('')}\n`,
    'bucket-c,k8,,succeeded,200,,last row without newline',
  ].join('');

  async function summarise(chunks: Iterable<Buffer>): Promise<unknown> {
    const summary = new ReportSummaryBuilder('job', { maxSamples: 100 });
    const rows: ReportRow[] = [];
    const count = await forEachReportRow(
      (async function* () {
        yield* chunks;
      })(),
      (row) => {
        summary.addRow(row);
        rows.push(row.toRow());
      },
    );
    return { count, summary: summary.build(), rows };
  }

  /** A copy at offset 0 of its own ArrayBuffer, so the parser can read it as 32-bit words. */
  const aligned = (chunk: Buffer): Buffer => Buffer.from(Uint8Array.prototype.slice.call(chunk));
  /** A copy at an odd offset, so the parser has to fall back to reading bytes. */
  const unaligned = (chunk: Buffer): Buffer => {
    const backing = Buffer.alloc(chunk.length + 1);
    chunk.copy(backing, 1);
    return backing.subarray(1);
  };

  it('gives the same summary and rows whichever byte the report is split at', async () => {
    // Prepare
    const bytes = aligned(Buffer.from(edgeReport));
    const expected = await summarise([bytes]);

    for (let cut = 0; cut <= bytes.length; cut++) {
      for (const copy of [aligned, unaligned]) {
        // Act
        const actual = await summarise([copy(bytes.subarray(0, cut)), copy(bytes.subarray(cut))]);

        // Assess
        expect(actual, `cut at ${cut} (${copy.name})`).toEqual(expected);
      }
    }
    expect(expected).toMatchObject({ count: 8, summary: { totalTasks: 8, failedTasks: 5 } });
  });

  it('gives the same summary under random small chunks', async () => {
    // Prepare
    const bytes = Buffer.from(edgeReport.repeat(5));
    const expected = await summarise([aligned(bytes)]);
    let seed = 12345;
    const nextSize = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return 1 + (seed % 23);
    };

    for (let attempt = 0; attempt < 50; attempt++) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; ) {
        const size = nextSize();
        const chunk = bytes.subarray(i, i + size);
        chunks.push(attempt % 2 === 0 ? aligned(chunk) : unaligned(chunk));
        i += size;
      }

      // Act
      const actual = await summarise(chunks);

      // Assess
      expect(actual, `attempt ${attempt}`).toEqual(expected);
    }
  });

  it('reads the fields the summary keeps exactly, including a character split across chunks', async () => {
    // Prepare: split inside the three bytes of ✓ (E2 9C 93) in k3's message, and between the quotes of a "" escape
    const bytes = Buffer.from(edgeReport);
    const check = bytes.indexOf('✓ and');
    const escapedQuote = bytes.indexOf('""quoted""');

    // Act
    const splitCheck = (await summarise([bytes.subarray(0, check + 1), bytes.subarray(check + 1)])) as {
      summary: ReportSummary;
    };
    const splitEscape = (await summarise([
      bytes.subarray(0, escapedQuote + 1),
      bytes.subarray(escapedQuote + 1),
    ])) as {
      summary: ReportSummary;
    };

    // Assess
    for (const { summary } of [splitCheck, splitEscape]) {
      expect(summary.byErrorCode).toEqual({
        PermanentFailure: 1,
        AccessDenied: 1,
        InternalError: 1,
        NoSuchKey: 1,
        TemporaryFailure: 1,
      });
      expect(summary.byHttpStatus).toEqual({ '200': 4, '403': 1, '404': 1, '500': 1 });
      expect(summary.sampleFailures.map((s) => [s.key, s.message])).toEqual([
        ['photos/café ✓.jpg', 'Lambda: {"errorMessage":"a, b\n"}'],
        ['k3', '"quoted" first, then ✓ and\r\nmore'],
        ['k4', ''],
        ['k5', `${'x'.repeat(300)}, "tail"`],
        ['k7', ''],
      ]);
    }
  });
});
