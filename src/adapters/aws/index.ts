/** The AWS adapters: the only code that imports `@aws-sdk/*` (ARCHITECTURE.md, "Seams"). */
export * from './client-factory.js';
export * from './errors.js';
export * from './eventbridge.js';
export * from './s3.js';
export * from './s3-control.js';
export * from './sfn.js';
