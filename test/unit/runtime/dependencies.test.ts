import { describe, expect, it } from 'vitest';
import type { ObjectStorePort } from '../../../src/core/ports.js';
import { systemClock } from '../../../src/core/ports.js';
import type { AdapterSetup } from '../../../src/runtime/adapters.js';
import { createDependencies } from '../../../src/runtime/dependencies.js';

const env = {
  AWS_REGION: 'us-east-1',
  S3BO_STAGE: 'dev',
  S3BO_EVENT_BUS_NAME: 's3-batch-orchestrator-dev',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
};

describe('createDependencies', () => {
  it('has only the ports its adapters name, each built once on first use', () => {
    // Prepare
    const setups: AdapterSetup[] = [];
    const objects = {} as ObjectStorePort;
    const deps = createDependencies(
      { env, clock: systemClock },
      {
        objects: (setup) => {
          setups.push(setup);
          return objects;
        },
      },
    );

    // Act
    const first = deps.objects();
    const second = deps.objects();

    // Assess
    expect(first).toBe(objects);
    expect(second).toBe(objects);
    expect(setups).toHaveLength(1);
    expect(setups[0]!.clientOptions).toMatchObject({
      region: 'us-east-1',
      endpoints: { default: 'http://127.0.0.1:4566' },
    });
    expect(Object.keys(deps).sort()).toEqual(['clock', 'config', 'objects']);
  });

  it('builds nothing until a port is asked for', () => {
    // Prepare
    let built = 0;

    // Act
    createDependencies(
      { env, clock: systemClock },
      {
        objects: () => {
          built++;
          return {} as ObjectStorePort;
        },
      },
    );

    // Assess
    expect(built).toBe(0);
  });
});
