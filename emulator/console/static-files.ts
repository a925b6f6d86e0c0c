/**
 * The console's pages: plain HTML, CSS and ES-module files from the repository's `console/` folder, served as
 * they are (no build step, nothing fetched from a CDN, so the console works offline).
 */
import { readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HttpResponse } from '../contracts.js';

export const CONSOLE_FILES_DIR = fileURLToPath(new URL('../../console/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

const notFound = (path: string): HttpResponse => ({
  status: 404,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: `No console file ${path}`,
});

/** `relative` is the path below `/_console/` ('' is the index page); nothing outside `root` is served. */
export function serveConsoleFile(relative: string, root = CONSOLE_FILES_DIR): HttpResponse {
  const file = normalize(join(root, relative === '' ? 'index.html' : relative));
  const type = CONTENT_TYPES[extname(file)];
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep) || type === undefined)
    return notFound(relative);
  try {
    if (!statSync(file).isFile()) return notFound(relative);
    return {
      status: 200,
      // Re-read on every request so an edited page shows on reload; files are small and local.
      headers: { 'content-type': type, 'cache-control': 'no-cache' },
      body: readFileSync(file),
    };
  } catch {
    return notFound(relative);
  }
}
