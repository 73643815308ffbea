// The kernel's table of unacknowledged bytes (Linux /proc/net/tcp*), read for real sockets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { connectionKey, readSendQueues } from '../../src/server/kernel-queues.js';
import { until } from '../helpers/server.js';

const skip = process.platform === 'linux' ? false : 'the table is Linux’s /proc/net/tcp';

async function pair(host: string): Promise<{ server: Socket; client: Socket; close: () => void }> {
  let accepted!: Socket;
  const listener = createServer((s) => (accepted = s));
  await new Promise<void>((resolve) => listener.listen(0, host, resolve));
  const client = connect((listener.address() as { port: number }).port, host);
  client.pause();
  await until(() => accepted, 5000, 'the connection');
  return {
    server: accepted,
    client,
    close: () => {
      client.destroy();
      accepted.destroy();
      listener.close();
    },
  };
}

for (const host of ['127.0.0.1', '::1']) {
  test(`a socket's unacknowledged bytes are found under its key (${host})`, { skip }, async (t) => {
    let p;
    try {
      p = await pair(host);
    } catch {
      return t.skip(`${host} is not available here`);
    }
    try {
      const key = connectionKey(p.server)!;
      assert.match(key, /^[0-9A-F]+:[0-9A-F]{4} [0-9A-F]+:[0-9A-F]{4}$/);
      // Nothing sent yet: only connections with bytes waiting are listed.
      assert.equal(readSendQueues()!.get(key), undefined, 'nothing sent yet');
      // The client reads nothing: once its window is full, the rest waits in the server's kernel.
      p.server.write(Buffer.alloc(32 * 1024 * 1024));
      await until(() => (readSendQueues()!.get(key) ?? 0) > 0, 5000, 'bytes to wait in the kernel');
    } finally {
      p.close();
    }
  });
}
