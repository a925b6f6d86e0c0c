/** Where the local console lives: a path no AWS API uses (server.ts routes it, the console serves it). */
export const CONSOLE_PATH_PREFIX = '/_console/';

export const isConsolePath = (path: string): boolean =>
  path === '/_console' || path.startsWith(CONSOLE_PATH_PREFIX);
