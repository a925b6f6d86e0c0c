import type { Storage } from '../contracts.js';

/** In-memory storage for tests. Values are cloned on the way in and out, as a durable store would. */
export interface MemoryStorage extends Storage {
  /** Lines appended to a log so far (tests read the event log through this). */
  readLines(logName: string): string[];
}

export function createMemoryStorage(): MemoryStorage {
  const docs = new Map<string, Map<string, unknown>>();
  const blobs = new Map<string, Buffer>();
  const logs = new Map<string, string[]>();

  const namespaceOf = (namespace: string): Map<string, unknown> => {
    let found = docs.get(namespace);
    if (!found) {
      found = new Map();
      docs.set(namespace, found);
    }
    return found;
  };

  return {
    dataDir: undefined,
    getDoc<T>(namespace: string, id: string): T | undefined {
      const value = docs.get(namespace)?.get(id);
      return value === undefined ? undefined : (structuredClone(value) as T);
    },
    putDoc<T>(namespace: string, id: string, value: T): void {
      namespaceOf(namespace).set(id, structuredClone(value));
    },
    deleteDoc(namespace: string, id: string): void {
      docs.get(namespace)?.delete(id);
    },
    listDocs<T>(namespace: string): T[] {
      return [...(docs.get(namespace)?.values() ?? [])].map((value) => structuredClone(value) as T);
    },
    getBlob(id: string): Buffer | undefined {
      const bytes = blobs.get(id);
      return bytes === undefined ? undefined : Buffer.from(bytes);
    },
    putBlob(id: string, bytes: Buffer): void {
      blobs.set(id, Buffer.from(bytes));
    },
    deleteBlob(id: string): void {
      blobs.delete(id);
    },
    appendLine(logName: string, line: string): void {
      let lines = logs.get(logName);
      if (!lines) {
        lines = [];
        logs.set(logName, lines);
      }
      lines.push(line);
    },
    readLines(logName: string): string[] {
      return [...(logs.get(logName) ?? [])];
    },
  };
}
