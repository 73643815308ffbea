// One request over a fresh socket, bytes exactly as given: the fuzz's client. It reads the
// answer's head, and a body up to its Content-Length; an event stream is cut after its head.
// A server that does not answer is given a half-close (so it sees the request end), then a
// bound; nothing here waits without end.

import { connect } from 'node:net';

export interface RawAnswer {
  /** The status, or what happened instead: `closed without answer`, `no answer`, `ECONNRESET`. */
  outcome: string;
  status: number | null;
  head: string;
  body: string;
}

const HEAD_END = '\r\n\r\n';

export function rawExchange(port: number, request: Buffer, waitMs = 1500): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let text = '';
    let settled = false;
    let failure = '';
    const finish = (outcome?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(halfClose);
      clearTimeout(giveUp);
      socket.destroy();
      const end = text.indexOf(HEAD_END);
      const head = end < 0 ? '' : text.slice(0, end);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      resolve({
        outcome: outcome ?? (status ? status[1]! : text ? 'garbled answer' : failure || 'closed without answer'),
        status: status ? Number(status[1]) : null,
        head,
        body: end < 0 ? '' : text.slice(end + 4),
      });
    };
    const halfClose = setTimeout(() => socket.end(), waitMs);
    const giveUp = setTimeout(() => finish(text ? undefined : 'no answer'), waitMs * 2);
    socket.on('error', (err: NodeJS.ErrnoException) => (failure = err.code ?? err.message));
    socket.on('close', () => finish());
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const end = text.indexOf(HEAD_END);
      if (end < 0) return;
      const head = text.slice(0, end);
      if (/\r\ncontent-type: text\/event-stream/i.test(head)) return finish();
      const length = /\r\ncontent-length: (\d+)/i.exec(head);
      if (length && text.length - end - 4 >= Number(length[1])) finish();
      if (/^HTTP\/1\.1 (204|304)/.test(head)) finish();
    });
    socket.write(request);
  });
}
