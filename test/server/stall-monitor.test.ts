// The stall rule's measure (issue 12 item 5): bytes the client acknowledged, not bytes the
// local kernel accepted. A fake socket and a fake kernel table make each case exact; the real
// sockets are in stall.test.ts and kernel-queues.test.ts, the 30 s figures in npm run stress.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { StallMonitor } from '../../src/server/stall-monitor.js';
import { until } from '../helpers/server.js';

const KEY = '0100007F:1F90 0100007F:C350';

/** A socket as the monitor sees it: counters to move by hand. */
function fakeSocket() {
  const state = { dispatched: 0, libuvQueue: 0, writable: 0, inKernel: 0, destroyed: false };
  const socket = {
    localAddress: '127.0.0.1',
    localPort: 0x1f90,
    remoteAddress: '127.0.0.1',
    remotePort: 0xc350,
    get destroyed() {
      return state.destroyed;
    },
    get writableLength() {
      return state.writable;
    },
    get _bytesDispatched() {
      return state.dispatched;
    },
    get _handle() {
      return { writeQueueSize: state.libuvQueue };
    },
  } as unknown as Socket;
  return { socket, state, queues: () => new Map([[KEY, state.inKernel]]) };
}

test('a client whose kernel keeps accepting bytes it never acknowledges is dropped', async () => {
  const { socket, state, queues } = fakeSocket();
  const monitor = new StallMonitor(150, queues);
  let stalled = false;
  monitor.watch(socket, () => (stalled = true));
  // The local kernel's send buffer grows and takes everything; the client acknowledges nothing.
  const filling = setInterval(() => {
    state.dispatched += 10_000;
    state.inKernel += 10_000;
    state.writable = 16_000;
  }, 5);
  try {
    await until(() => stalled, 5000, 'the stalled client to be dropped');
  } finally {
    clearInterval(filling);
    monitor.close();
  }
});

test('a client that acknowledges bytes, however slowly, is not dropped; one that has taken everything is not either', async () => {
  const slow = fakeSocket();
  const idle = fakeSocket();
  // A long limit beside the pace of reading, so a loaded machine's late timers cannot fake a stall.
  const monitor = new StallMonitor(1000, () => new Map([...slow.queues(), ...idle.queues()]));
  const dropped: string[] = [];
  monitor.watch(slow.socket, () => dropped.push('slow'));
  monitor.watch(idle.socket, () => dropped.push('idle'));
  slow.state.dispatched = 4_000_000;
  slow.state.inKernel = 4_000_000;
  slow.state.writable = 1_000_000;
  // A large write still going out of libuv: its queue shrinks as the kernel takes parts of it.
  slow.state.libuvQueue = 500_000;
  const started = performance.now();
  const reading = setInterval(() => {
    slow.state.inKernel -= 100;
    slow.state.dispatched += 50;
    slow.state.libuvQueue -= 50;
  }, 20);
  // Three stall periods of this, then compare.
  await until(() => performance.now() - started > 3000, 10_000, 'three stall periods');
  clearInterval(reading);
  monitor.close();
  assert.deepEqual(dropped, []);
});

test('without the kernel table, the bytes the kernel accepted are the measure', async () => {
  const { socket, state } = fakeSocket();
  const monitor = new StallMonitor(150, () => undefined);
  let stalled = false;
  monitor.watch(socket, () => (stalled = true));
  state.writable = 16_000;
  state.dispatched = 1000;
  await until(() => stalled, 5000, 'a client with bytes waiting and none accepted to be dropped');
  monitor.close();
});
