#!/usr/bin/env node
// The `s3bo` command: runs the TypeScript CLI through tsx, so no build step stands between a clone and use.
import { register } from 'tsx/esm/api';

register();
await import('../cli/index.ts');
