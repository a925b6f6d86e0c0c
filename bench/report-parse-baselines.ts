/**
 * The passes the product parser is compared with, each reading the file through the same stream (`readReport`):
 * a raw newline scan (the floor) and general-purpose CSV parsers installed as dev dependencies.
 * uDSV and PapaParse parse strings, so chunks are decoded with a StringDecoder (UTF-8 safe across chunks).
 *
 * Equivalent work: each CSV parser counts records and failed tasks (TaskStatus, column 3), as the summary
 * must at the least; reading one field of an array the parser has built anyway costs it next to nothing,
 * and the counts prove it split quoted multi-line messages correctly.
 */
import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import { parse as csvParse } from 'csv-parse';
import Papa from 'papaparse';
import { inferSchema, initParser, type Parser } from 'udsv';
import { readReport } from './report-parse-data.js';

export { readReport } from './report-parse-data.js';

/** What a baseline counted: records, and those whose TaskStatus is not `succeeded`. */
export interface CsvCounts {
  rows: number;
  failed: number;
}

const STATUS = 3;

/** Counts 0x0A bytes with Buffer#indexOf: reading the bytes and nothing more. */
export async function rawScan(path: string): Promise<number> {
  let lines = 0;
  for await (const chunk of readReport(path) as AsyncIterable<Buffer>) {
    let i = chunk.indexOf(0x0a);
    while (i !== -1) {
      lines++;
      i = chunk.indexOf(0x0a, i + 1);
    }
  }
  return lines;
}

export async function csvParseRecords(path: string): Promise<CsvCounts> {
  const counts: CsvCounts = { rows: 0, failed: 0 };
  const parser = readReport(path).pipe(csvParse({ relax_column_count: true }));
  parser.on('data', (record: string[]) => {
    counts.rows++;
    if (record[STATUS] !== 'succeeded') counts.failed++;
  });
  await once(parser, 'end');
  return counts;
}

/** uDSV's incremental API with a row callback, so nothing accumulates (its README's streaming recipe). */
export async function udsvRecords(path: string): Promise<CsvCounts> {
  const counts: CsvCounts = { rows: 0, failed: 0 };
  const onRow = (record: string[]): void => {
    counts.rows++;
    if (record[STATUS] !== 'succeeded') counts.failed++;
  };
  const decoder = new StringDecoder('utf8');
  let parser: Parser | null = null;
  for await (const chunk of readReport(path) as AsyncIterable<Buffer>) {
    const text = decoder.write(chunk);
    // The report has no header row: skip none.
    parser ??= initParser(inferSchema(text, { header: () => [], col: ',', row: '\n', encl: '"' }));
    parser.chunk<string[]>(text, parser.stringArrs, onRow);
  }
  parser?.end();
  return counts;
}

/** PapaParse's Node stream input with a per-row `step` (faster here than its `chunk` callback). */
export async function papaParseRecords(path: string): Promise<CsvCounts> {
  const counts: CsvCounts = { rows: 0, failed: 0 };
  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(readReport(path), {
      encoding: 'utf8',
      step: (result) => {
        counts.rows++;
        if (result.data[STATUS] !== 'succeeded') counts.failed++;
      },
      complete: () => resolve(),
      error: (error: Error) => reject(error),
    });
  });
  return counts;
}
