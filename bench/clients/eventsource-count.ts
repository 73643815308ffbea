// (d) baseline: a bare `eventsource` EventSource (the package pkt's client was built on, as a
// devDependency) counting the events of one firehose run, and nothing else: the cost of
// reading the stream alone, which `pkt run --json` is judged against. EventSource only GETs,
// so its `fetch` option carries the POST. Built to plain JavaScript by lib/snapshot.ts, so it
// starts like `pkt run` does, without a TypeScript loader.
//   node eventsource-count.js <action URL> <count>

import { EventSource } from 'eventsource';

const [url, countArg] = process.argv.slice(2);
const count = Number(countArg);
if (!url || !Number.isInteger(count) || count < 1) {
  process.stderr.write('usage: eventsource-count.js <action URL> <count>\n');
  process.exit(2);
}

const body = JSON.stringify({ count });
let events = 0;
// Bounded like every load loop of the bench: a stuck server ends the run, not the bench.
const timer = setTimeout(() => {
  process.stderr.write(`eventsource-count: no complete event within 300 s (${events} events)\n`);
  process.exit(1);
}, 300_000);

const source = new EventSource(url, {
  fetch: (input, init) =>
    fetch(input, {
      ...init,
      method: 'POST',
      body,
      headers: { ...init?.headers, 'Content-Type': 'application/json' },
    }),
});
source.addEventListener('progress', () => {
  events++;
});
source.addEventListener('complete', () => {
  events++;
  source.close();
  clearTimeout(timer);
  if (events !== count + 1) {
    process.stderr.write(`eventsource-count: ${events} events, expected ${count + 1}\n`);
    process.exitCode = 1;
  }
});
source.addEventListener('error', (e) => {
  // A firehose ends with `complete`; any error before that is a failed run, never retried.
  source.close();
  clearTimeout(timer);
  process.stderr.write(`eventsource-count: ${(e as Event & { message?: string }).message ?? 'stream failed'} after ${events} events\n`);
  process.exitCode = 1;
});
