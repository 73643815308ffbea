// A cap on open connections. Each one is a file descriptor; past the process's limit, accept()
// fails and the server can no longer open even its own files. So connections over the cap get
// a short JSON 503 and are closed, and the cap never exceeds what the file limit allows.

import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { ActionError } from '../../protocol/index.js';
import { answerRaw } from './raw-answer.js';

/** Descriptors kept for everything else: files, the listening socket, stdio, DNS, refusals. */
const FD_RESERVE = 64;
/** Long enough to read the request that came with the connection, short enough to free its descriptor. */
const REFUSED_LINGER_MS = 100;

/** The cap in force: the configured one, lowered to fit the open-file limit when it is known. */
export function connectionCap(configured: number, fileLimit = openFileLimit()): number {
  if (fileLimit === undefined) return configured;
  return Math.max(1, Math.min(configured, fileLimit - FD_RESERVE));
}

/** The soft RLIMIT_NOFILE, where the system says (Linux); undefined elsewhere. */
export function openFileLimit(): number | undefined {
  try {
    const line = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return line && line[1] !== 'unlimited' ? Number(line[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Node's own 'connection' listener starts the HTTP parser on a socket; it is taken off and
 * called only for connections under the cap, so a refused one is never parsed or handled.
 */
export function capConnections(server: Server, cap: number, retryAfterSeconds: number, log: (line: string) => void): void {
  const http = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  let open = 0;
  let refused = 0;
  let lastReport = 0;
  server.on('connection', (socket: Socket) => {
    if (open >= cap) {
      refused++;
      // One line per 10 s at most, however many are refused.
      const now = Date.now();
      if (now - lastReport > 10_000) {
        log(`refused ${refused} connection${refused === 1 ? '' : 's'}: ${open} open, the cap is ${cap}`);
        refused = 0;
        lastReport = now;
      }
      answerRaw(
        socket,
        new ActionError(503, 'BUSY', `the server has ${open} connections open, its limit; retry in a moment`),
        { 'Retry-After': String(retryAfterSeconds) },
        REFUSED_LINGER_MS,
      );
      return;
    }
    open++;
    socket.once('close', () => open--);
    for (const listener of http) listener.call(server, socket);
  });
}
