// The type test's control: actions whose types have degraded to any or unknown, asserted as
// fixture.ts asserts. types.test.ts expects tsc to fail on each line marked `fails`, and on
// no other, which shows that the assertions catch a degraded type instead of passing it.
// (Left out of the repository's own type check, which would fail on it.)

import { createClient } from '../../src/client/index.js';
import { defineAction } from '../../src/server/index.js';
import type { Equals, IsAny } from './assert.js';
import { expectType } from './assert.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const anyResult = defineAction({ call: (input: { name: string }): any => input });
const unknownResult = defineAction({ call: (input: { name: string }): unknown => input });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const anyInput = defineAction({ call: (input: any): { name: string } => input });

const { action } = createClient<{ loose: typeof anyResult; vague: typeof unknownResult; open: typeof anyInput }>({ baseUrl: 'http://127.0.0.1:7070' });

export async function degraded(): Promise<void> {
  const loose = await action.loose({ name: 'x' }).call();
  expectType<Equals<typeof loose, { name: string }>>(); // fails
  expectType<Equals<IsAny<typeof loose>, false>>(); // fails
  const vague = await action.vague({ name: 'x' }).call();
  expectType<Equals<typeof vague, { name: string }>>(); // fails
  action.vague({ name: 'x' });
  expectType<Equals<Parameters<typeof action.open>, [input: { name: string }]>>(); // fails
  // @ts-expect-error: a misspelt field, which an input typed any lets through (an unused directive) // fails
  action.open({ nmae: 'x' });
}
