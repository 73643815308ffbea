// Type-checked by types.test.ts, never run: `createClient<typeof actions>` types inputs,
// results and events from the actions' definitions. Each `expectType` fails the check when
// inference degrades (to any, unknown or a wrong type); each @ts-expect-error fails it when a
// mistake stops being one.

import { z } from 'zod';
import { createClient, type ActionFn } from '../../src/client/index.js';
import { createActionHandler, createFetchHandler, defineAction, type ActionStream } from '../../src/server/index.js';
import taskProcess from '../../src/server/actions/task/process.js';
import type { Equals, IsAny } from './assert.js';
import { expectType } from './assert.js';

const report = defineAction({
  input: z.object({ title: z.string(), pages: z.number().int().min(1).default(3) }),
  events: {
    progress: z.object({ page: z.number(), total: z.number() }),
    note: z.object({ text: z.string() }),
  },
  call: ({ title, pages }) => ({ title, pages, status: 'built' as const }),
  async streamProgress({ title, pages }, stream) {
    expectType<Equals<typeof pages, number>>();
    await stream.send('progress', { page: 1, total: pages });
    await stream.send('note', { text: title });
    // @ts-expect-error: not one of the declared events
    await stream.send('prgress', { page: 1, total: pages });
    // @ts-expect-error: a page is a number
    await stream.send('progress', { page: 'one', total: pages });
    // @ts-expect-error: the stream's result is call's unless the stream parameter says otherwise
    await stream.sendComplete({ title });
    await stream.sendComplete({ title, pages, status: 'built' });
  },
});

// A stream that completes with its own result: its parameter says which.
const exportCsv = defineAction({
  input: z.object({ rows: z.number() }),
  call: ({ rows }) => ({ queued: rows }),
  async streamProgress({ rows }, stream: ActionStream<{ url: string; rows: number }>) {
    await stream.send('anything', { free: 'form' });
    await stream.sendComplete({ url: 'https://example.com/export.csv', rows });
  },
});

const ping = defineAction({ call: async () => 'pong' as const });

const actions = {
  'task.process': taskProcess,
  'report.build': report,
  'report.export': exportCsv,
  ping,
  admin: { users: { purge: defineAction({ input: z.object({ before: z.string() }), call: () => ({ purged: 3 }) }) } },
};

// The same object mounts on the server, typed actions and all.
createActionHandler({ actions });
createFetchHandler({ actions: [actions, './more-actions'] });

const { action } = createClient<typeof actions>({ baseUrl: 'http://127.0.0.1:7070' });

export async function typed(): Promise<void> {
  // Inputs: the schema's input side; a field with a default is optional.
  action.task.process({ name: 'x' });
  action.task.process({ name: 'x', steps: 3 });
  action.task.process({ taskName: 'x' }); // Piko's word for name
  // @ts-expect-error: misspelt field
  action.task.process({ nmae: 'x' });
  // @ts-expect-error: steps is a number
  action.task.process({ name: 'x', steps: '3' });
  // @ts-expect-error: name is required
  action.task.process();
  action.report.build({ title: 't' });
  // @ts-expect-error: title is required
  action.report.build({ pages: 2 });
  action.ping();
  // The input types themselves, exactly: a degraded one (any, unknown) fails here too.
  expectType<Equals<Parameters<typeof action.report.build>, [input: { title: string; pages?: number | undefined }]>>();
  expectType<Equals<Parameters<typeof action.admin.users.purge>, [input: { before: string }]>>();
  expectType<Equals<Parameters<typeof action.ping>, [input?: unknown]>>();
  // @ts-expect-error: no such action
  action.task.proces({ name: 'x' });

  // Results: the stream's (default) and call's (withStream(false)).
  const done = await action.task.process({ name: 'x' }).call();
  expectType<Equals<typeof done, { taskName: string; status: string }>>();
  const built = await action.report.build({ title: 't' }).withTimeout(1000).call();
  expectType<Equals<typeof built, { title: string; pages: number; status: 'built' }>>();
  const exported = await action.report.export({ rows: 2 }).call();
  expectType<Equals<typeof exported, { url: string; rows: number }>>();
  const queued = await action.report.export({ rows: 2 }).withStream(false).call();
  expectType<Equals<typeof queued, { queued: number }>>();
  const pong = await action.ping().call();
  expectType<Equals<typeof pong, 'pong'>>();
  const purged = await action.admin.users.purge({ before: '2026-01-01' }).call();
  expectType<Equals<typeof purged, { purged: number }>>();
  expectType<Equals<IsAny<typeof done> | IsAny<typeof built> | IsAny<typeof purged>, false>>();

  // Events: typed by their declared schemas, narrowed by the event's type.
  await action.report
    .build({ title: 't' })
    .withOnProgress((data, type) => {
      if (type === 'progress') expectType<Equals<typeof data, { page: number; total: number }>>();
      else expectType<Equals<typeof data, { text: string }>>();
      // @ts-expect-error: the declared types only
      if (type === 'prgress') return;
    })
    .call();
  await action.report
    .build({ title: 't' })
    .withOnProgress((data) => expectType<Equals<typeof data, { page: number; total: number } | { text: string }>>())
    .withOnProgress((data, type, id) => {
      if (type === 'note') expectType<Equals<typeof data, { text: string }>>();
      expectType<Equals<typeof id, string>>();
    })
    .call();
  // An action that declares no events: any type, data unknown.
  await action.task.process({ name: 'x' }).withOnProgress((data, type) => {
    expectType<Equals<typeof data, unknown>>();
    expectType<Equals<typeof type, string>>();
  });
}

// A declared tree of functions keeps working, and so does the open proxy.
export async function declared(): Promise<void> {
  const declaredClient = createClient<{ task: { process: ActionFn<{ name: string }, { ok: boolean }> } }>({ baseUrl: 'http://127.0.0.1:7070' });
  const result = await declaredClient.action.task.process({ name: 'x' }).call();
  expectType<Equals<typeof result, { ok: boolean }>>();
  const open = createClient({ baseUrl: 'http://127.0.0.1:7070' });
  const anything = await open.action.some?.thing?.({ any: 'input' }).call();
  expectType<Equals<typeof anything, unknown>>();
}
