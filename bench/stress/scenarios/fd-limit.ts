// (5) The server under `ulimit -n 1024`: its connection cap becomes 960 (the limit less 64
// kept for its own files). 1,100 clients open a connection at once and hold it after one
// answer; those past the cap must get a JSON 503 BUSY. The server closes idle keep-alive
// connections after 5 s, and must then serve its page and its actions again.

import { connect, type Socket } from 'node:net';
import { held, info, pool, tally, type StressScenario } from '../lib/figures.js';
import { BASE, startPktServe } from '../lib/server.js';

const CLIENTS = 1100;
const FILE_LIMIT = 1024;

function holdOne(port: number, sockets: Socket[]): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    let text = '';
    let settled = false;
    const done = (outcome: string) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const timer = setTimeout(() => done(text ? 'partial answer' : 'no answer in 10 s'), 10_000);
    socket.on('close', () => {
      clearTimeout(timer);
      done(text ? 'partial answer' : 'closed without answer');
    });
    socket.on('data', (c) => {
      text += c.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (status && text.includes('\r\n\r\n')) {
        clearTimeout(timer);
        const json = /\r\ncontent-type: application\/json/i.test(text);
        done(`${status[1]}${json ? '' : ' (not JSON)'}`);
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      done(err.code ?? err.message);
    });
    // Keep-alive: after its answer, the connection stays open and counts against the cap.
    socket.write(`GET ${BASE} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  });
}

export const scenario: StressScenario = {
  id: 'fd-limit',
  title: `ulimit -n ${FILE_LIMIT}: ${CLIENTS} connections held open`,
  async run() {
    const server = await startPktServe({ fileLimit: FILE_LIMIT });
    const sockets: Socket[] = [];
    try {
      const before = server.fds();
      const outcomes = tally(await pool(CLIENTS, CLIENTS, () => holdOne(server.port, sockets)));
      const fdsHeld = server.fds();
      // Idle keep-alive connections are closed by the server (keepAliveTimeout, 5 s).
      const deadline0 = Date.now() + 15_000;
      while (server.fds() > before + 5 && Date.now() < deadline0) await new Promise((r) => setTimeout(r, 250));
      const fdsLater = server.fds();
      for (const s of sockets) s.destroy();
      // Then a person's requests: the page, and an action.
      let page = 0;
      let action = 0;
      const deadline = Date.now() + 10_000;
      while ((page !== 200 || action !== 200) && Date.now() < deadline) {
        page = await fetch(`${server.url}/`).then((r) => (r.arrayBuffer(), r.status), () => 0);
        action = await fetch(`${server.url}${BASE}/task.process`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"name":"after"}' }).then(
          (r) => (r.arrayBuffer(), r.status),
          () => 0,
        );
      }
      const served = outcomes['200'] ?? 0;
      const busy = outcomes['503'] ?? 0;
      const reset = outcomes.ECONNRESET ?? 0;
      const hanging = CLIENTS - served - busy - reset;
      const alive = server.child.exitCode === null;
      return {
        figures: [
          held('connections answered 200 and held', served, '', `${FILE_LIMIT - 64} (the cap)`, served === FILE_LIMIT - 64),
          info('past the cap: answered 503 BUSY (JSON)', busy),
          info('past the cap: reset (no descriptor left to answer with)', reset),
          held('past the cap: left hanging or answered otherwise', hanging, '', '0', hanging === 0),
          info('server descriptors before', before),
          info('server descriptors while held', fdsHeld),
          info('server descriptors once it closed the idle ones', fdsLater),
          held('page and action answer after', page === 200 && action === 200 ? 'yes' : `page ${page}, action ${action}`, '', 'yes', page === 200 && action === 200),
          held('server still running', alive ? 1 : 0, '', '1', alive),
        ],
        notes: [`outcomes: ${JSON.stringify(outcomes)}`, `the cap at this limit is ${FILE_LIMIT - 64}`],
      };
    } finally {
      for (const s of sockets) s.destroy();
      await server.stop();
    }
  },
};
