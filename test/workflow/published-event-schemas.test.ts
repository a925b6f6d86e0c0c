/**
 * The schemas published for consumers hold for the events the workflow really emits: one batch job run on
 * the embedded local AWS, and every event it put on the stage bus, envelope included, validated against
 * its detail type's schema as npm consumers get it (draft-07, `s3-batch-orchestrator/events`) and as the
 * stage's schema registry holds it (draft-04, packaging/event-schemas.cjs). The consumer example reads
 * them too.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import { type DetailType, eventSchemas, type OrchestratorEvent } from 's3-batch-orchestrator/events';
import { describe, expect, it } from 'vitest';
import { buildEventSchemaResources } from '../../packaging/event-schemas.cjs';
import { defaultEventSource, detailTypes } from '../../src/core/names.js';
import { describeEvent } from '../unit/events/consumer-example.js';
import { harnessPerTest, seededManifest, taggingRequest } from './harness.js';

const harnesses = harnessPerTest();

/** Per detail type, the draft-07 validator of the npm entry point's schema. */
function npmValidators(): Map<string, ValidateFunction> {
  const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true, validateFormats: false });
  return new Map(
    Object.entries(eventSchemas).map(([detailType, schema]) => [detailType, ajv.compile(schema)]),
  );
}

/** Per detail type, the draft-04 validator of the registry schema a stage with this source deploys. */
function registryValidators(source: string): Map<string, ValidateFunction> {
  const ajv = new AjvDraft04.default({ strict: false, validateFormats: false });
  const { Resources } = buildEventSchemaResources({ stage: 'local', source, detailTypes });
  const validators = new Map<string, ValidateFunction>();
  for (const resource of Object.values(Resources)) {
    if (resource.Type !== 'AWS::EventSchemas::Schema') continue;
    const content = JSON.parse((resource.Properties as { Content: string }).Content);
    validators.set(content.properties['detail-type'].enum[0], ajv.compile(content));
  }
  return validators;
}

describe('published event schemas against a real run', () => {
  it('accept every event a batch job run emits, envelope included', async () => {
    // Prepare
    const { h } = await harnesses.seeded(20);

    // Act
    const run = await h.run(taggingRequest(seededManifest));

    // Assess
    expect(run.status, run.cause).toBe('SUCCEEDED');
    const events = h.aws.events.readEventLog(h.project.busName) as unknown as OrchestratorEvent[];
    const seen = new Set(events.map((event) => event['detail-type']));
    expect([...seen]).toEqual(
      expect.arrayContaining([detailTypes.submitted, detailTypes.statusChanged, detailTypes.completed]),
    );
    const byNpm = npmValidators();
    const byRegistry = registryValidators(defaultEventSource);
    for (const event of events) {
      const detailType: DetailType = event['detail-type'];
      const npm = byNpm.get(detailType)!;
      const registry = byRegistry.get(detailType)!;
      expect(npm(event), `${detailType}: ${JSON.stringify(npm.errors)}`).toBe(true);
      expect(registry(event), `${detailType}: ${JSON.stringify(registry.errors)}`).toBe(true);
      // The consumer example reads fields only the narrowed detail has.
      expect(describeEvent(event)).toContain('jobId' in event.detail ? event.detail.jobId : detailType);
    }
  });

  it("refuse an event under another detail type's schema, or from another source", async () => {
    // Prepare
    const { h } = await harnesses.seeded(5);
    await h.run(taggingRequest(seededManifest));
    const completed = h.aws.events
      .readEventLog(h.project.busName)
      .find((event) => event['detail-type'] === detailTypes.completed);
    if (!completed) throw new Error('no Batch Job Completed event');

    // Act
    const asSubmitted = { ...completed, 'detail-type': detailTypes.submitted };
    const verdicts = {
      npmAsSubmitted: npmValidators().get(detailTypes.submitted)!(asSubmitted),
      registryAsSubmitted: registryValidators(defaultEventSource).get(detailTypes.submitted)!(asSubmitted),
      registryOtherSource: registryValidators('acme.batch').get(detailTypes.completed)!(completed),
      registryAsIs: registryValidators(defaultEventSource).get(detailTypes.completed)!(completed),
    };

    // Assess
    expect(verdicts).toEqual({
      npmAsSubmitted: false,
      registryAsSubmitted: false,
      registryOtherSource: false,
      registryAsIs: true,
    });
  });
});
