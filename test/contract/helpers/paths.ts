import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in test/contract/helpers/). */
export const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
