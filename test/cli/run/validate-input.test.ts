import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { schemaProblems } from '../../../src/cli/run/validate-input.js';

const schema = {
  type: 'object',
  properties: {
    steps: { type: 'integer', minimum: 1, maximum: 10 },
    name: { type: 'string', minLength: 1 },
    mode: { enum: ['fast', 'slow'] },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['name'],
};

describe('schemaProblems', () => {
  it('names the flag and the rule, in pkt words', async () => {
    assert.deepEqual(await schemaProblems(schema, { name: '', steps: 0, mode: 'medium', tags: ['a', 2] }), [
      '--steps must be ≥ 1',
      '--name must be at least 1 character long',
      '--mode must be one of "fast", "slow"',
      '--tags (at 1) must be a string',
    ]);
    assert.deepEqual(await schemaProblems(schema, { name: 'x', steps: 11.5 }), ['--steps must be a whole number', '--steps must be ≤ 10']);
  });

  it('nothing to say of good input, of no schema, or of a schema it cannot read', async () => {
    assert.deepEqual(await schemaProblems(schema, { name: 'x', steps: 3 }), []);
    assert.deepEqual(await schemaProblems(undefined, { anything: 1 }), []);
    assert.deepEqual(await schemaProblems({ $ref: '#/nowhere' }, {}), []);
  });

  it('leaves required and unknown fields to the flags check, which says them first', async () => {
    assert.deepEqual(await schemaProblems({ ...schema, additionalProperties: false }, { extra: 1 }), []);
  });
});
