// A JSON error answer written straight to a socket, for the moments before Node has a
// request and response for it (a request its parser refused, a connection over the cap).
// The shape is the one of every error (PROTOCOL.md §2).

import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { JSON_TYPE, type ActionError } from '../../protocol/index.js';

/**
 * Time for the answer to leave before the socket is destroyed, whatever the client does. The
 * default lets a client still sending a bad request finish and read the answer; a refused
 * connection takes a shorter one, since each holds a descriptor until it goes.
 */
export function answerRaw(socket: Duplex, error: ActionError, headers: Record<string, string> = {}, lingerMs = 1000): void {
  const body = JSON.stringify(error.toJSON());
  const lines = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`,
    `Content-Type: ${JSON_TYPE}; charset=utf-8`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-store',
    'Connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  // Whatever else the client sends is read and dropped, so the close is a FIN and not a reset
  // that could take the answer with it; the timer bounds how long that goes on.
  socket.on('data', () => {});
  // No HTTP parser owns this socket yet, so nothing else hears its errors: a client that resets
  // while the answer is written would otherwise end the process.
  socket.on('error', () => socket.destroy());
  socket.resume();
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
  setTimeout(() => socket.destroy(), lingerMs).unref();
}
