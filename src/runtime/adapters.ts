/**
 * The AWS adapter each port of a Lambda's Dependencies is built with, one builder per port. A function
 * names the builders it uses (`lambdaHandler(..., { objects: s3Objects }, ...)`), and that choice is what
 * puts an SDK client in its bundle: esbuild keeps only the builders a function references, and through them
 * only the clients they construct (about 100-170 KB minified per client; `npm run bench -- lambda-bundles`).
 * A registry that referenced all four would put all four clients in every bundle, so there is none here;
 * `allAdapters` is for callers that are not bundled per function.
 */
import {
  type AwsClientOptions,
  createEventBridgeClient,
  createS3Client,
  createS3ControlClient,
  createSfnClient,
} from '../adapters/aws/client-factory.js';
import { createEventBusAdapter } from '../adapters/aws/eventbridge.js';
import { createObjectStoreAdapter } from '../adapters/aws/s3.js';
import { createBatchJobsAdapter } from '../adapters/aws/s3-control.js';
import { createWorkflowAdapter } from '../adapters/aws/sfn.js';
import type { BatchJobsPort, EventBusPort, ObjectStorePort, WorkflowPort } from '../core/ports.js';
import { type BusMeter, meteredBus } from './metered-bus.js';
import { createTraced, type Traced } from './tracing.js';

/** The ports a Lambda may be given, by the name its Dependencies calls them. */
export interface Ports {
  jobs: BatchJobsPort;
  objects: ObjectStorePort;
  bus: EventBusPort;
  workflow: WorkflowPort;
}
export type PortName = keyof Ports;

/** What every builder is given: one set of client options, and how the handler observes its clients. */
export interface AdapterSetup {
  clientOptions: AwsClientOptions;
  /** The function's environment, which decides whether its clients are traced (./tracing.ts). */
  env: Readonly<Record<string, string | undefined>>;
  /** How to trace a client; absent: createTraced(env), built once per setup. */
  traced?: Traced;
  busMeter?: BusMeter;
}

export type AdapterBuilder<K extends PortName> = (setup: AdapterSetup) => Ports[K];

/** The builders a function uses, by port. */
export type AdapterBuilders<K extends PortName> = { readonly [P in K]: AdapterBuilder<P> };

const tracedBySetup = new WeakMap<AdapterSetup, Traced>();

/**
 * The setup's tracing, built on first use and shared by its clients. Built here, not by the handler, so
 * X-Ray (Powertools Tracer and aws-xray-sdk-core, about 125 KB minified) is only in the bundles of
 * functions that have an SDK client to trace.
 */
function tracedOf(setup: AdapterSetup): Traced {
  if (setup.traced) return setup.traced;
  let traced = tracedBySetup.get(setup);
  if (!traced) {
    traced = createTraced(setup.env);
    tracedBySetup.set(setup, traced);
  }
  return traced;
}

/** S3 Batch Operations jobs through S3 Control. */
export const s3ControlJobs: AdapterBuilder<'jobs'> = (setup) =>
  createBatchJobsAdapter(tracedOf(setup)(createS3ControlClient(setup.clientOptions)));

export const s3Objects: AdapterBuilder<'objects'> = (setup) =>
  createObjectStoreAdapter(tracedOf(setup)(createS3Client(setup.clientOptions)));

/** The stage's EventBridge bus, metered when the handler meters (./metered-bus.ts). */
export const eventBridgeBus: AdapterBuilder<'bus'> = (setup) => {
  const bus = createEventBusAdapter(tracedOf(setup)(createEventBridgeClient(setup.clientOptions)));
  return setup.busMeter ? meteredBus(bus, setup.busMeter) : bus;
};

export const sfnWorkflow: AdapterBuilder<'workflow'> = (setup) =>
  createWorkflowAdapter(tracedOf(setup)(createSfnClient(setup.clientOptions)));

/** Every port: for in-process callers, where bundle size does not matter. */
export const allAdapters: AdapterBuilders<PortName> = {
  jobs: s3ControlJobs,
  objects: s3Objects,
  bus: eventBridgeBus,
  workflow: sfnWorkflow,
};
