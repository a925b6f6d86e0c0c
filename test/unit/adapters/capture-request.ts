/**
 * Test helper: records the HTTP request an SDK client would send, after endpoint resolution and
 * serialization, and answers it without any network. The real request shows what the endpoint rules did.
 */
export interface CapturedRequest {
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  headers: Record<string, string>;
}

interface StackClient {
  middlewareStack: {
    add(middleware: unknown, options: { step: 'build'; priority: 'low'; name: string }): void;
  };
}

export function captureRequests(client: object): CapturedRequest[] {
  const captured: CapturedRequest[] = [];
  (client as StackClient).middlewareStack.add(
    () =>
      async (args: { request: CapturedRequest }): Promise<unknown> => {
        const { protocol, hostname, port, path, headers } = args.request;
        captured.push({ protocol, hostname, ...(port === undefined ? {} : { port }), path, headers });
        return { output: { $metadata: {} }, response: {} };
      },
    { step: 'build', priority: 'low', name: 'captureRequestForTest' },
  );
  return captured;
}
