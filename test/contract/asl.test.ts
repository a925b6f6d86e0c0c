import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  lambdaLogicalId,
  loadServerlessConfig,
  stateMachineBindings,
} from '../../local/serverless-config.js';
import { aslPath, definitions, generateAslFiles, repoRoot } from '../../scripts/gen-asl.js';
import { defaultMaxAttempts } from '../../src/adapters/aws/client-factory.js';
import { errorClasses, retryableErrorNames, workflowFailureNames } from '../../src/core/errors.js';
import { detailTypes, functionKeys, jobStatuses, stateMachineKeys } from '../../src/core/names.js';
import { fail, pass, succeed } from '../../statemachines/builder/asl.js';
import { startExecutionSync2 } from '../../statemachines/builder/child-execution.js';
import { lambdaTask } from '../../statemachines/builder/lambda-task.js';
import { stateMachine } from '../../statemachines/builder/machine.js';
import {
  lambdaServiceErrors as builderLambdaServiceErrors,
  childExecutionRetrier,
} from '../../statemachines/builder/retry.js';
import {
  type AslState,
  allStates,
  listDefinitionFiles,
  placeholdersIn,
  readDefinition,
  stateMachinesDir,
  taskStates,
  valuesOf,
} from './helpers/asl.js';

/** asl-validator 3 (CommonJS, no type declarations). It mutates its input, so it gets a copy. */
const aslValidator = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

/** What AWS recommends retrying on every Lambda task (Step Functions, "Handling errors"). */
const lambdaServiceErrors = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

/** The Choice that branches on every S3 Batch Operations job status (a stable state name, STYLE.md rule 8). */
const statusChoiceName = 'RouteByStatus';
/** The `${Name}` form of a placeholder (concatenated: a literal would read as a mistyped template). */
const placeholder = (name: string): string => '$' + '{' + name + '}';
const emitResource = placeholder('EmitEventsFunctionArn');

const pascalCase = /^[A-Z][A-Za-z0-9]*$/;
const definitionFiles = listDefinitionFiles();
const serverless = loadServerlessConfig();
const bindings = stateMachineBindings(serverless);

describe('state machine definitions', () => {
  it('has one definition file for every state machine key, and nothing else', () => {
    // Prepare
    const expected = stateMachineKeys.map((key) => `${stateMachinesDir}/${key}.asl.json`).sort();

    // Act / Assess
    expect(definitionFiles).toEqual(expected);
  });

  it('declares each definition once in serverless.yml, by file', () => {
    // Act
    const declared = bindings.map((binding) => binding.definitionFile).sort();

    // Assess
    expect(declared).toEqual(definitionFiles);
  });
});

describe('generated definitions (npm run gen)', () => {
  it('builds one definition per state machine key', () => {
    expect(Object.keys(definitions).sort()).toEqual([...stateMachineKeys].sort());
  });

  it('are committed as generated: a changed definition without a regenerated .asl.json fails here', () => {
    // Act
    const expected = generateAslFiles();

    // Assess
    const stale = Object.entries(expected)
      .filter(([path, content]) => readFileSync(join(repoRoot, path), 'utf8') !== content)
      .map(([path]) => path);
    expect(stale, 'stale generated files: run npm run gen').toEqual([]);
    expect(Object.keys(expected).sort()).toEqual(stateMachineKeys.map(aslPath).sort());
  });
});

describe('ASL builder', () => {
  const end = (): ['Done', ReturnType<typeof succeed>] => ['Done', succeed()];

  it('starts at the first state and keeps the states in the order given', () => {
    const machine = stateMachine({
      comment: 'c',
      timeoutSeconds: 60,
      states: [['First', pass({ Next: 'Done' })], end()],
    });

    expect(machine.StartAt).toBe('First');
    expect(Object.keys(machine.States)).toEqual(['First', 'Done']);
  });

  it.each([
    ['a transition to a missing state', [['First', pass({ Next: 'Nowhere' })], end()], /goes to Nowhere/],
    ['an unreachable state', [['First', pass({ Next: 'Done' })], end(), ['Orphan', succeed()]], /Orphan/],
    ['a state defined twice', [['First', pass({ Next: 'Done' })], end(), end()], /Done: defined twice/],
    ['a name that is not PascalCase', [['first-state', pass({ Next: 'Done' })], end()], /PascalCase/],
  ] as const)('rejects %s', (_case, states, message) => {
    expect(() => stateMachine({ comment: 'c', timeoutSeconds: 60, states })).toThrow(message);
  });

  it('gives a Lambda task the standard Retry, and requires a last catch of every error', () => {
    // Act
    const task = lambdaTask('SubmitJob', 'submit-job', {
      next: 'Done',
      catch: [{ resultPath: '$.error', next: 'Failed' }],
    });
    const uncaught = () =>
      lambdaTask('SubmitJob', 'submit-job', {
        next: 'Done',
        catch: [{ on: ['RequestValidationError'], resultPath: '$.error', next: 'Failed' }],
      });

    // Assess
    expect(task.Resource).toBe(placeholder('SubmitJobFunctionArn'));
    expect(task.Retry!.flatMap((rule) => rule.ErrorEquals)).toEqual([
      ...builderLambdaServiceErrors,
      ...retryableErrorNames,
    ]);
    expect(task.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }]);
    expect(uncaught).toThrow(/SubmitJob: the last catch rule must catch every error/);
    expect(fail({ Error: 'E', Cause: 'c' })).toEqual({ Type: 'Fail', Error: 'E', Cause: 'c' });
  });
});

describe.each(definitionFiles)('%s', (file) => {
  const { text, definition } = readDefinition(file);
  const states = allStates(definition);
  // Lambda tasks and child executions (startExecution.sync:2) are held to rules of their own.
  const childTasks = taskStates(definition).filter(([, state]) => state.Resource === startExecutionSync2);
  const tasks = taskStates(definition).filter(([, state]) => state.Resource !== startExecutionSync2);

  it('passes asl-validator', () => {
    // Act
    const result = aslValidator(structuredClone(definition));

    // Assess
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('uses JSONPath only: no JSONata, Assign or distributed Map (aws-local-stepfunctions runs it too)', () => {
    // Act
    const languages = valuesOf(definition, 'QueryLanguage');
    const assigns = valuesOf(definition, 'Assign');
    const modes = valuesOf(definition, 'Mode');

    // Assess
    expect(languages.every((language) => language === 'JSONPath')).toBe(true);
    expect(assigns).toEqual([]);
    expect(modes).not.toContain('DISTRIBUTED');
  });

  it('has a Comment and a top-level TimeoutSeconds within the Standard workflow limit of one year', () => {
    // Assess
    expect(definition.Comment).toEqual(expect.any(String));
    expect(definition.TimeoutSeconds).toBeGreaterThan(0);
    expect(definition.TimeoutSeconds).toBeLessThanOrEqual(31_536_000);
  });

  it('names every state in PascalCase', () => {
    // Act
    const offenders = states.map(([name]) => name).filter((name) => !pascalCase.test(name));

    // Assess
    expect(offenders).toEqual([]);
  });

  it('routes only on States.*, Lambda.* or the core error names of src/core/errors.ts (StepFunctions.* on child executions)', () => {
    // Prepare
    const known = new Set(Object.keys(errorClasses));
    const children = new Set(childTasks.map(([name]) => name));

    // Act
    const matched = states.flatMap(([name, state]) =>
      [...(state.Retry ?? []), ...(state.Catch ?? [])].flatMap((rule) =>
        rule.ErrorEquals.map((error) => ({ error, child: children.has(name) })),
      ),
    );
    const unknown = matched
      .filter(
        ({ error, child }) =>
          !error.startsWith('States.') &&
          !error.startsWith('Lambda.') &&
          !known.has(error) &&
          !(child && error.startsWith('StepFunctions.')),
      )
      .map(({ error }) => error);

    // Assess
    expect(matched.length).toBeGreaterThan(0);
    expect(unknown).toEqual([]);
  });

  it('ends every Fail state with a workflow failure name', () => {
    // Prepare
    const failureNames = Object.values(workflowFailureNames) as string[];

    // Act
    const errors = states.filter(([, state]) => state.Type === 'Fail').map(([, state]) => state.Error);

    // Assess
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(failureNames).toContain(error);
  });

  it("retries AWS's recommended Lambda errors and every retryable core error on each task, with full jitter", () => {
    for (const [name, state] of tasks) {
      // Act
      const retried = new Set((state.Retry ?? []).flatMap((rule) => rule.ErrorEquals));
      const jitter = (state.Retry ?? []).map((rule) => rule.JitterStrategy);

      // Assess
      for (const error of [...lambdaServiceErrors, ...retryableErrorNames]) {
        expect(retried.has(error), `${name} retries ${error}`).toBe(true);
      }
      expect(
        jitter.every((strategy) => strategy === 'FULL'),
        `${name} uses full jitter`,
      ).toBe(true);
    }
  });

  it('retries only the registries: Lambda service errors and the retryable core errors, nothing hand-written', () => {
    // Prepare
    const registry = new Set<string>([...builderLambdaServiceErrors, ...retryableErrorNames]);

    for (const [name, state] of tasks) {
      // Act
      const retried = (state.Retry ?? []).flatMap((rule) => rule.ErrorEquals);

      // Assess
      expect(
        retried.filter((error) => !registry.has(error)),
        name,
      ).toEqual([]);
      expect(new Set(retried).size, `${name} lists each error once`).toBe(retried.length);
    }
  });

  it('re-runs a task on a retryable core error at most three times: the SDK already retried each AWS call', () => {
    for (const [name, state] of tasks) {
      // Act
      const core = (state.Retry ?? []).filter((rule) =>
        rule.ErrorEquals.some((error) => (retryableErrorNames as string[]).includes(error)),
      );

      // Assess
      expect(
        core.map((rule) => rule.MaxAttempts),
        name,
      ).toEqual([3]);
    }
  });

  it('never retries a non-retryable core error', () => {
    // Prepare
    const permanent = Object.keys(errorClasses).filter(
      (name) => !(retryableErrorNames as string[]).includes(name),
    );

    // Act
    const retried = states.flatMap(([, state]) => (state.Retry ?? []).flatMap((rule) => rule.ErrorEquals));

    // Assess
    expect(retried.filter((name) => permanent.includes(name))).toEqual([]);
  });

  it('catches every error on each task, and no task catches into itself', () => {
    for (const [name, state] of tasks) {
      // Act
      const catchers = state.Catch ?? [];

      // Assess
      expect(
        catchers.some((rule) => rule.ErrorEquals.includes('States.ALL')),
        `${name} catches States.ALL`,
      ).toBe(true);
      expect(
        catchers.every((rule) => rule.Next !== name),
        `${name} does not catch into itself`,
      ).toBe(true);
    }
  });

  it('binds every placeholder through DefinitionSubstitutions in serverless.yml, and binds nothing else', () => {
    // Prepare
    const binding = bindings.find((candidate) => candidate.definitionFile === file);

    // Act
    const placeholders = placeholdersIn(text);

    // Assess
    expect(binding, `${file} is declared in serverless.yml`).toBeDefined();
    expect(placeholders.length).toBeGreaterThan(0);
    expect(Object.keys(binding!.substitutions).sort()).toEqual(placeholders);
  });

  it('binds each <Function>FunctionArn placeholder to the ARN of the function it names', () => {
    // Prepare
    const binding = bindings.find((candidate) => candidate.definitionFile === file)!;
    const functionPlaceholders = placeholdersIn(text).filter((name) => name.endsWith('FunctionArn'));

    for (const name of functionPlaceholders) {
      // Act: SubmitJobFunctionArn -> submit-job
      const key = name
        .slice(0, -'FunctionArn'.length)
        .replace(/(?<!^)([A-Z])/g, '-$1')
        .toLowerCase();

      // Assess
      expect(functionKeys as readonly string[], name).toContain(key);
      expect(serverless.functions[key]?.handler).toBe(`functions/${key}.handler`);
      expect(binding.substitutions[name]).toEqual({ 'Fn::GetAtt': [lambdaLogicalId(key), 'Arn'] });
    }
  });

  it('runs child executions with startExecution.sync:2 of a placeholder-bound machine, retrying only ExecutionLimitExceeded', () => {
    for (const [name, state] of childTasks) {
      // Assess
      expect(String(state.Parameters?.StateMachineArn), name).toMatch(/^\$\{[A-Za-z0-9]+StateMachineArn\}$/);
      expect(state.Retry, name).toEqual([childExecutionRetrier]);
      expect(
        (state.Catch ?? []).some((rule) => rule.ErrorEquals.includes('States.ALL')),
        `${name} catches States.ALL`,
      ).toBe(true);
    }
  });

  it('uses every task Resource through a placeholder, never a literal ARN', () => {
    // Act: a Lambda ARN placeholder, or an optimized Lambda integration whose FunctionName is one.
    const placeholder = /^\$\{[A-Za-z0-9]+\}$/;
    const literal = tasks.filter(
      ([, state]) =>
        !placeholder.test(state.Resource ?? '') &&
        !(
          /^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/.test(state.Resource ?? '') &&
          placeholder.test(String(state.Parameters?.FunctionName))
        ),
    );

    // Assess
    expect(literal.map(([name]) => name)).toEqual([]);
  });
});

describe('statemachines/batch-job.asl.json', () => {
  const { definition } = readDefinition(`${stateMachinesDir}/batch-job.asl.json`);
  const states = allStates(definition);
  const emitTasks = states.filter(([, state]) => state.Type === 'Task' && state.Resource === emitResource);

  it('tells every job task which execution runs it, so its log lines carry executionArn', () => {
    for (const name of ['DescribeJob', 'ConfirmJob', 'FetchReport']) {
      const parameters = definition.States[name]?.Parameters as Record<string, unknown> | undefined;
      expect(parameters?.['executionArn.$'], name).toBe('$$.Execution.Id');
    }
  });

  it('emits only detail types declared in names.ts, and discards what emit-events returns', () => {
    // Prepare
    const declared = Object.values(detailTypes) as string[];

    for (const [name, state] of emitTasks) {
      // Act
      const detailType = state.Parameters?.detailType;

      // Assess: a detail type, or the policy's actions (each action names its own detail type)
      if (state.Parameters?.policyActions === true) expect(detailType, name).toBeUndefined();
      else expect(declared, name).toContain(detailType);
      expect(state.Parameters?.step, name).toEqual(expect.stringMatching(pascalCase));
      expect(state.Parameters?.['state.$'], name).toBe('$');
      expect(state.ResultPath, name).toBeNull();
    }
    expect(emitTasks.length).toBeGreaterThan(0);
  });

  it('reports a completed job as Succeeded or PartialFailure', () => {
    // Act
    const outcomes = emitTasks
      .filter(([, state]) => state.Parameters?.detailType === detailTypes.completed)
      .map(([, state]) => state.Parameters?.outcome)
      .sort();

    // Assess
    expect(outcomes).toEqual(['PartialFailure', 'Succeeded']);
  });

  it(`branches on every S3 Batch Operations job status in ${statusChoiceName}, and fails on any other`, () => {
    // Prepare
    const choice = definition.States[statusChoiceName];

    // Act
    const rules = (choice?.Choices ?? []) as { Variable?: string; StringEquals?: string }[];
    const statuses = rules.map((rule) => rule.StringEquals).sort();

    // Assess
    expect(choice?.Type).toBe('Choice');
    expect(rules.every((rule) => rule.Variable === '$.progress.status')).toBe(true);
    expect(statuses).toEqual([...jobStatuses].sort());
    expect(choice?.Default).toEqual(expect.any(String));
  });

  it('confirms a Suspended job only when the submitted job asks for auto-confirmation', () => {
    // Prepare
    const rules = definition.States[statusChoiceName]!.Choices as { StringEquals?: string; Next: string }[];
    const suspended = rules.find((rule) => rule.StringEquals === 'Suspended')!;

    // Act
    const confirmation = definition.States[suspended.Next]!;

    // Assess
    expect(confirmation.Type).toBe('Choice');
    expect(valuesOf(confirmation.Choices, 'Variable')).toContain('$.job.autoConfirm');
    expect(valuesOf(confirmation.Choices, 'Next')).toContain('ConfirmJob');
    expect(definition.States.ConfirmJob?.Resource).toBe(placeholder('ConfirmJobFunctionArn'));
  });

  it('calls CreateJob at most 12 times under sustained throttling (35 before: SDK 5 × Step Functions 7)', () => {
    for (const taskName of ['SubmitJob', 'RedriveJob']) {
      // Prepare
      const state = definition.States[taskName]!;

      // Act: every SDK attempt of every run of the task
      const retrier = state.Retry?.find((rule) => rule.ErrorEquals.includes('ServiceThrottledError'));
      const runs = 1 + Number(retrier?.MaxAttempts ?? 0);

      // Assess
      expect(defaultMaxAttempts * runs, taskName).toBe(12);
    }
  });

  it('ends a rejected request in RequestRejected after a Batch Job Rejected event', () => {
    // Prepare
    const submit = definition.States.SubmitJob!;

    // Act
    const rejected = submit.Catch?.find((rule) => rule.ErrorEquals.includes('RequestValidationError'));
    const emit = definition.States[rejected!.Next]!;

    // Assess
    expect(emit.Parameters?.detailType).toBe(detailTypes.rejected);
    expect(definition.States[emit.Next!]).toMatchObject({
      Type: 'Fail',
      Error: workflowFailureNames.requestRejected,
    });
  });
});

describe('statemachines/campaign.asl.json', () => {
  const { definition } = readDefinition(`${stateMachinesDir}/campaign.asl.json`);
  const emitResource = placeholder('EmitEventsFunctionArn');

  it('claims the run before anything else, and ends a duplicate without emitting or starting anything', () => {
    // Act
    const claim = definition.States[definition.StartAt]!;
    const check = definition.States[claim.Next!]!;
    const duplicate = (check.Choices as { Next: string }[])[0]!.Next;

    // Assess
    expect(definition.StartAt).toBe('ClaimRun');
    expect(claim.Resource).toBe(placeholder('ClaimCampaignRunFunctionArn'));
    expect(definition.States[duplicate]).toMatchObject({ Type: 'Pass', Next: 'Duplicate' });
    expect(definition.States.Duplicate).toEqual({ Type: 'Succeed' });
  });

  it('emits only the campaign events, through emit-events with a built detail, and discards the result', () => {
    // Act
    const emits = allStates(definition).filter(([, state]) => state.Resource === emitResource);

    // Assess
    expect(emits.map(([, state]) => state.Parameters?.detailType).sort()).toEqual([
      detailTypes.campaignCompleted,
      detailTypes.campaignStarted,
    ]);
    for (const [, state] of emits) {
      expect(state.Parameters).toHaveProperty(['detail.$']);
      expect(state.ResultPath).toBeNull();
    }
  });

  it("runs the targets in a Map bounded by the campaign's concurrency, each iteration ending in a row", () => {
    // Act
    const map = definition.States.RunTargets!;
    const processor = map.ItemProcessor as { StartAt: string; States: Record<string, AslState> };

    // Assess
    expect(map).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.resolved.targets',
      MaxConcurrencyPath: '$.resolved.concurrency',
      ResultPath: '$.outcomes',
      Next: 'Aggregate',
    });
    expect(processor.States.RunBatchJob?.Parameters?.StateMachineArn).toBe(
      placeholder('BatchJobStateMachineArn'),
    );
    expect(processor.States.RunRestoreThen?.Parameters?.StateMachineArn).toBe(
      placeholder('RestoreThenStateMachineArn'),
    );
    for (const child of ['RunBatchJob', 'RunRestoreThen']) {
      const state = processor.States[child]!;
      expect([state.Next, ...(state.Catch ?? []).map((rule) => rule.Next)], child).toEqual([
        'SummarizeTarget',
        'SummarizeTarget',
      ]);
    }
  });
});
