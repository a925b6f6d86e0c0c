/**
 * The passes the product parser is compared with, each reading the file through the same stream settings:
 * a raw newline scan (the floor) and general-purpose CSV parsers installed as dev dependencies.
 * uDSV and PapaParse parse strings, so chunks are decoded with a StringDecoder (UTF-8 safe across chunks).
 */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { parse as csvParse } from 'csv-parse';
import Papa from 'papaparse';
import { inferSchema, initParser, type Parser } from 'udsv';

const HIGH_WATER_MARK = 64 * 1024;

export const readReport = (path: string) => createReadStream(path, { highWaterMark: HIGH_WATER_MARK });

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

export async function csvParseRecords(path: string): Promise<number> {
  let records = 0;
  const parser = readReport(path).pipe(csvParse({ relax_column_count: true }));
  parser.on('data', () => {
    records++;
  });
  await once(parser, 'end');
  return records;
}

/** uDSV's incremental API with a row callback, so nothing accumulates (its README's streaming recipe). */
export async function udsvRecords(path: string): Promise<number> {
  let records = 0;
  const onRow = (): void => {
    records++;
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
  return records;
}

/** PapaParse's Node stream input with a per-row `step` (faster here than its `chunk` callback). */
export async function papaParseRecords(path: string): Promise<number> {
  let records = 0;
  await new Promise<void>((resolve, reject) => {
    Papa.parse(readReport(path), {
      encoding: 'utf8',
      step: () => {
        records++;
      },
      complete: () => resolve(),
      error: (error: Error) => reject(error),
    });
  });
  return records;
}
