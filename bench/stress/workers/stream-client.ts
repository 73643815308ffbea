// A client process for the kill -9 scenario: opens one stream to stress.hold, prints its run
// id once the answer's head is in, and reads until it is killed.
// Usage: node --import tsx stream-client.ts <port>

import { openStream } from '../lib/stream-client.js';

const port = Number(process.argv[2]);
const stream = openStream({ port, target: 'stress.hold', input: { intervalMs: 100 }, decode: false });
stream.head.then(
  () => process.stdout.write(`run ${stream.runId()}\n`),
  (err: Error) => {
    process.stderr.write(`stream-client: ${err.message}\n`);
    process.exit(1);
  },
);
// A bound: the harness kills it long before.
setTimeout(() => process.exit(0), 120_000);
