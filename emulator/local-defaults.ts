/** Defaults of the embedded local AWS that its clients (the CLI) share. No imports: cheap to load. */

/** LocalStack's convention: an account id no real account has. */
export const localAccountId = '000000000000';
export const localRegion = 'us-east-1';
export const defaultLocalPort = 4599;
