/** The Step Functions JSON API as the console reads it (executions-view.ts, parent-runs-view.ts). */

/** `x-amz-target` of a Step Functions operation. */
export const sfnTarget = (operation: string) => `AWSStepFunctions.${operation}`;

/** An execution as ListExecutions / DescribeExecution answer it (dates in epoch seconds). */
export interface WireExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  startDate: number;
  stopDate?: number;
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount?: number;
}

/** One GetExecutionHistory event; its `<type>EventDetails` object varies by type. */
export interface WireHistoryEvent {
  id: number;
  previousEventId?: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}
