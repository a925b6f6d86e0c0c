import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Storage } from '../contracts.js';

export interface DirectoryStorageOptions {
  /** fsync each file before renaming it into place (slower; survives power loss, not just crashes). */
  fsync?: boolean;
}

const SAFE_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const MAX_READABLE_NAME = 120;
let tempCounter = 0;

/**
 * Turns an arbitrary id (an S3 key may be 1,024 bytes of anything) into one safe file name.
 * Only [a-z0-9_-] and inner dots survive; everything else, upper case included, is %XX-escaped so names never
 * collide on case-insensitive file systems. Long names keep a readable prefix plus a hash of the whole id.
 */
export function encodeFileName(id: string): string {
  let out = '';
  for (const byte of Buffer.from(id, 'utf8')) {
    const ch = String.fromCharCode(byte);
    const keep = /[a-z0-9_-]/.test(ch) || (ch === '.' && out.length > 0);
    out += keep ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (out.length === 0) return '%';
  if (out.length <= MAX_READABLE_NAME) return out;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 32);
  return `${out.slice(0, 80)}~${hash}`;
}

function checkRelativeName(name: string, what: string): string[] {
  const segments = name.split('/');
  if (segments.length === 0 || segments.some((segment) => !SAFE_SEGMENT.test(segment))) {
    throw new Error(`Invalid storage ${what} "${name}": use /-separated segments of [A-Za-z0-9._-]`);
  }
  return segments;
}

/** Writes via a temp file in the same directory and a rename, so readers never see a partial file. */
export function writeFileAtomic(file: string, data: string | Buffer, fsync = false): void {
  const temp = `${file}.${process.pid}.${++tempCounter}.tmp`;
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    if (fsync) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Durable storage in a directory: docs at `<dataDir>/<namespace>/<id>.json`, blobs under `<dataDir>/blobs/`,
 * logs appended to `<dataDir>/<logName>`. One process owns a directory; docs are cached after first read.
 */
/** `\n` when the file exists and its last byte is not one (a torn last line), else ''. */
function tornTail(file: string): string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const { size } = fs.fstatSync(fd);
    if (size === 0) return '';
    const last = Buffer.alloc(1);
    fs.readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a ? '' : '\n';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export function createDirectoryStorage(dataDir: string, options: DirectoryStorageOptions = {}): Storage {
  const unknown = Object.keys(options).filter((key) => key !== 'fsync');
  if (unknown.length > 0) throw new Error(`Unknown directory storage option: ${unknown.join(', ')}`);
  const root = path.resolve(dataDir);
  const blobDir = path.join(root, 'blobs');
  /** Logs this storage has appended to: their tails were checked once (appendLine). */
  const sealedLogs = new Set<string>();
  fs.mkdirSync(blobDir, { recursive: true });
  const fsync = options.fsync === true;
  /** namespace -> (id -> value); `complete` once the whole namespace directory was read. */
  const cache = new Map<string, { complete: boolean; docs: Map<string, unknown> }>();
  const madeDirs = new Set<string>();

  const namespaceDir = (namespace: string): string => {
    const segments = checkRelativeName(namespace, 'namespace');
    if (segments[0] === 'blobs') throw new Error('Storage namespace "blobs" is reserved for blobs');
    return path.join(root, ...segments);
  };
  const ensureDir = (dir: string): void => {
    if (madeDirs.has(dir)) return;
    fs.mkdirSync(dir, { recursive: true });
    madeDirs.add(dir);
  };
  const cacheOf = (namespace: string) => {
    let entry = cache.get(namespace);
    if (!entry) {
      entry = { complete: false, docs: new Map() };
      cache.set(namespace, entry);
    }
    return entry;
  };
  const readJson = (file: string): { id: string; value: unknown } | undefined => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as { id: string; value: unknown };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };

  return {
    dataDir: root,
    getDoc<T>(namespace: string, id: string): T | undefined {
      const entry = cacheOf(namespace);
      if (!entry.docs.has(id) && !entry.complete) {
        const stored = readJson(path.join(namespaceDir(namespace), `${encodeFileName(id)}.json`));
        if (stored) entry.docs.set(id, stored.value);
      }
      const value = entry.docs.get(id);
      return value === undefined ? undefined : (structuredClone(value) as T);
    },
    putDoc<T>(namespace: string, id: string, value: T): void {
      const dir = namespaceDir(namespace);
      ensureDir(dir);
      // The id is stored inside the file: long ids are hashed in the file name and cannot be recovered from it.
      writeFileAtomic(path.join(dir, `${encodeFileName(id)}.json`), JSON.stringify({ id, value }), fsync);
      cacheOf(namespace).docs.set(id, structuredClone(value));
    },
    deleteDoc(namespace: string, id: string): void {
      fs.rmSync(path.join(namespaceDir(namespace), `${encodeFileName(id)}.json`), { force: true });
      cacheOf(namespace).docs.delete(id);
    },
    listDocs<T>(namespace: string): T[] {
      const entry = cacheOf(namespace);
      if (!entry.complete) {
        const dir = namespaceDir(namespace);
        const names = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
        for (const name of names) {
          if (!name.endsWith('.json')) continue; // temp files of interrupted writes end in .tmp
          const stored = readJson(path.join(dir, name));
          if (stored && !entry.docs.has(stored.id)) entry.docs.set(stored.id, stored.value);
        }
        entry.complete = true;
      }
      return [...entry.docs.values()].map((value) => structuredClone(value) as T);
    },
    getBlob(id: string): Buffer | undefined {
      try {
        return fs.readFileSync(path.join(blobDir, encodeFileName(id)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    putBlob(id: string, bytes: Buffer): void {
      writeFileAtomic(path.join(blobDir, encodeFileName(id)), bytes, fsync);
    },
    deleteBlob(id: string): void {
      fs.rmSync(path.join(blobDir, encodeFileName(id)), { force: true });
    },
    appendLine(logName: string, line: string): void {
      const segments = checkRelativeName(logName, 'log name');
      const file = path.join(root, ...segments);
      ensureDir(path.dirname(file));
      const text = line.endsWith('\n') ? line : `${line}\n`;
      // A machine that stopped mid-write can leave a line without its newline: glued to it, this line would
      // be lost too. The first append of the process to a log ends such a torn line first (readers skip it).
      const sealing = sealedLogs.has(file) ? '' : tornTail(file);
      sealedLogs.add(file);
      // One write() call with O_APPEND: concurrent appenders never interleave within a line.
      fs.appendFileSync(file, `${sealing}${text}`);
    },
  };
}
