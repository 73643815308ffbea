import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildInput, describeFields, fieldLines, misspeltOption } from '../../../src/cli/run/schema-flags.js';
import type { RawFlag } from '../../../src/cli/run/field-flags.js';

// The manifest's schema of the bundled task.process, plus a field of each other kind.
const schema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200, description: 'a name for the task' },
    steps: { type: 'integer', minimum: 1, maximum: 10000, default: 5 },
    delayMs: { type: 'integer', default: 200 },
    ratio: { type: 'number' },
    dryRun: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
    sizes: { type: 'array', items: { type: 'integer' } },
    options: { type: 'object' },
    mode: { type: 'string', enum: ['fast', 'slow'] },
    note: { type: ['string', 'null'] },
  },
  required: ['name'],
};

const flags = (...pairs: [string, string | boolean][]): RawFlag[] => pairs.map(([name, value]) => ({ name, value }));

describe('buildInput with a schema', () => {
  test('coerces each field to its type', () => {
    const { input, problems } = buildInput(
      flags(['name', 'foo'], ['steps', '10'], ['ratio', '0.5'], ['dryRun', true], ['options', '{"a":1}'], ['mode', 'slow'], ['note', 'hi']),
      schema,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(input, { name: 'foo', steps: 10, ratio: 0.5, dryRun: true, options: { a: 1 }, mode: 'slow', note: 'hi' });
  });

  test('a string field keeps text that looks like JSON', () => {
    assert.deepEqual(buildInput(flags(['name', '123']), schema).input, { name: '123' });
  });

  test('booleans: bare, --no-, and words', () => {
    assert.equal(buildInput(flags(['name', 'x'], ['dryRun', false]), schema).input.dryRun, false);
    assert.equal(buildInput(flags(['name', 'x'], ['dryRun', 'yes']), schema).input.dryRun, true);
    assert.match(buildInput(flags(['name', 'x'], ['dryRun', 'maybe']), schema).problems[0]!, /^--dryRun is a boolean/);
  });

  test('arrays: repeat the flag, or give a JSON list; items are coerced', () => {
    const { input, problems } = buildInput(flags(['name', 'x'], ['tags', 'a'], ['tags', 'b'], ['sizes', '[1,2]'], ['sizes', '3']), schema);
    assert.deepEqual(problems, []);
    assert.deepEqual(input.tags, ['a', 'b']);
    assert.deepEqual(input.sizes, [1, 2, 3]);
  });

  test('kebab-case flags find camelCase fields', () => {
    assert.deepEqual(buildInput(flags(['name', 'x'], ['delay-ms', '150']), schema).input, { name: 'x', delayMs: 150 });
  });

  test('flags go over --input', () => {
    assert.deepEqual(buildInput(flags(['steps', '3']), schema, { name: 'from-input', steps: 1 }).input, { name: 'from-input', steps: 3 });
  });

  test('says what is wrong, naming each flag', () => {
    const { problems } = buildInput(
      flags(['nmae', 'foo'], ['steps', 'ten'], ['ratio', 'x'], ['options', '[1]'], ['mode', 'medium'], ['steps', '1'], ['name', true]),
      schema,
    );
    assert.deepEqual(problems, [
      'unknown flag --nmae; did you mean --name?',
      '--steps wants a whole number, not "ten"',
      '--ratio wants a number, not "x"',
      `--options wants a JSON object, such as '{"key":"value"}'`,
      '--mode must be one of "fast", "slow", not "medium"',
      // Said once: a flag given without its value is not also "required".
      '--name needs a value (string)',
    ]);
  });

  test('a field given twice that takes one value', () => {
    assert.deepEqual(buildInput(flags(['name', 'a'], ['name', 'b']), schema).problems, ['--name was given 2 times; it takes one value']);
  });

  test('an unknown flag far from every field gets no guess', () => {
    assert.deepEqual(buildInput(flags(['name', 'a'], ['zzzzzzzz', '1']), schema).problems, ['unknown flag --zzzzzzzz']);
  });
});

describe("pkt's own options misspelt among the field flags", () => {
  const own = ['input', 'url', 'token', 'base-path', 'stream', 'json', 'quiet', 'timeout', 'detach', 'actions', 'help', 'version'];

  test('a flag closest to a pkt option is that option misspelt, not an unknown field', () => {
    const { problems, misspelt } = buildInput(flags(['name', 'a'], ['jsno', true], ['tiemout', '5']), schema, {}, own);
    assert.deepEqual(misspelt, [
      { flag: 'jsno', option: 'json' },
      { flag: 'tiemout', option: 'timeout' },
    ]);
    assert.deepEqual(problems, []);
  });

  test('a flag closer to one of the fields is that field misspelt', () => {
    const withTokens = { type: 'object', properties: { tokens: { type: 'integer' } } };
    const { problems, misspelt } = buildInput(flags(['tokns', '3']), withTokens, {}, own);
    assert.deepEqual(misspelt, []);
    assert.deepEqual(problems, ['unknown flag --tokns; did you mean --tokens?']);
  });

  test('the option wins a tie, and a flag far from every option stays an unknown field', () => {
    assert.equal(misspeltOption('jsnx', own, ['jxnq']), 'json', 'two edits from each');
    assert.equal(misspeltOption('jsno', own, ['jsn']), undefined);
    assert.equal(misspeltOption('colour', own, ['name']), undefined);
    assert.equal(misspeltOption('JSNO', own, []), 'json', 'case is ignored, as for fields');
  });

  test('an action that takes any field gets its flags as they are', () => {
    const open = buildInput(flags(['jsno', true]), undefined, {}, own);
    assert.deepEqual([open.input, open.misspelt], [{ jsno: true }, []]);
  });
});

describe('buildInput without a schema (a Piko server)', () => {
  test('values are JSON where they parse, else strings', () => {
    const { input, problems } = buildInput(flags(['name', 'foo'], ['steps', '10'], ['ok', 'true'], ['obj', '{"a":[1]}'], ['flag', true]), undefined);
    assert.deepEqual(problems, []);
    assert.deepEqual(input, { name: 'foo', steps: 10, ok: true, obj: { a: [1] }, flag: true });
  });

  test('an empty schema ({}) accepts any flag', () => {
    assert.deepEqual(buildInput(flags(['x', '1']), {}).input, { x: 1 });
  });

  test('additionalProperties: true lets undeclared flags through', () => {
    const open = { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: true };
    assert.deepEqual(buildInput(flags(['a', '1'], ['b', '2']), open).input, { a: '1', b: 2 });
  });
});

describe('describing fields', () => {
  test('kinds, bounds and defaults for help', () => {
    const fields = describeFields(schema);
    assert.deepEqual(fields.map((f) => [f.name, f.kind]), [
      ['name', 'string'], ['steps', 'integer'], ['delayMs', 'integer'], ['ratio', 'number'], ['dryRun', 'boolean'],
      ['tags', 'string[]'], ['sizes', 'integer[]'], ['options', 'object'], ['mode', 'fast|slow'], ['note', 'string'],
    ]);
    const lines = fieldLines(fields);
    assert.match(lines[0]!, /^--name <string>\s+a name for the task \[required\] \[1\.\.200 chars\]$/);
    assert.match(lines[1]!, /^--steps <integer>\s+\[default: 5\] \[1\.\.10000\]$/);
  });

  test('no declared fields says how to pass input anyway', () => {
    assert.match(fieldLines(describeFields({}))[0]!, /--input JSON/);
  });
});
