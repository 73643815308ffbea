// How many bytes the kernel holds for each TCP connection that its peer has not acknowledged,
// from Linux's /proc/net/tcp and /proc/net/tcp6 (the tx_queue column: written by a process,
// not yet acknowledged). Node has no getsockopt(TCP_INFO), and a socket's own counters stop
// at the local send buffer, which the kernel grows to megabytes: a client that stopped reading
// looks busy until that buffer is full. Elsewhere there is no such file, and callers fall back.

import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import type { Socket } from 'node:net';

/** tx_queue by connection key (see `connectionKey`). */
export type SendQueues = Map<string, number>;

const FILES = ['/proc/net/tcp', '/proc/net/tcp6'];
const LITTLE_ENDIAN = endianness() === 'LE';
let unavailable = process.platform !== 'linux';

/** Every connection's unacknowledged bytes, or undefined where the system does not say. */
export function readSendQueues(): SendQueues | undefined {
  if (unavailable) return undefined;
  const queues: SendQueues = new Map();
  let read = 0;
  for (const file of FILES) {
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
      read++;
    } catch {
      continue;
    }
    // "  12: 0100007F:1F90 0100007F:C4D2 01 00000000:00000000 ..." (header line first), one
    // space between columns. Only connections with bytes unacknowledged go in the map (callers
    // read a missing one as 0): at thousands of idle streams, splitting every line was most of
    // what the stall rule allocated, read every two seconds.
    let at = text.indexOf('\n') + 1;
    while (at > 0 && at < text.length) {
      const end = text.indexOf('\n', at);
      const stop = end < 0 ? text.length : end;
      const local = text.indexOf(': ', at) + 2;
      const remote = text.indexOf(' ', local) + 1;
      const state = text.indexOf(' ', remote) + 1;
      const tx = text.indexOf(' ', state) + 1;
      const txEnd = text.indexOf(':', tx);
      if (local > 1 && remote > 0 && state > 0 && tx > 0 && txEnd > 0 && txEnd < stop && !text.startsWith('00000000', tx)) {
        queues.set(text.slice(local, state - 1), Number.parseInt(text.slice(tx, txEnd), 16));
      }
      at = end < 0 ? -1 : end + 1;
    }
  }
  if (read === 0) unavailable = true;
  return queues;
}

/** The socket's line in those files: local and remote address, as the kernel prints them. */
export function connectionKey(socket: Socket): string | undefined {
  const { localAddress, localPort, remoteAddress, remotePort } = socket;
  if (!localAddress || !remoteAddress || localPort === undefined || remotePort === undefined) return undefined;
  const local = procAddress(localAddress, localPort);
  const remote = procAddress(remoteAddress, remotePort);
  return local && remote ? `${local} ${remote}` : undefined;
}

function procAddress(address: string, port: number): string | undefined {
  const bytes = address.includes(':') ? ipv6Bytes(address) : ipv4Bytes(address);
  if (!bytes) return undefined;
  // The kernel prints each 32-bit word of the address as a host-order number.
  let hex = '';
  for (let word = 0; word < bytes.length; word += 4) {
    const group = bytes.slice(word, word + 4);
    if (LITTLE_ENDIAN) group.reverse();
    for (const b of group) hex += b.toString(16).toUpperCase().padStart(2, '0');
  }
  return `${hex}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
}

function ipv4Bytes(address: string): number[] | undefined {
  const parts = address.split('.').map(Number);
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255) ? parts : undefined;
}

function ipv6Bytes(address: string): number[] | undefined {
  let text = address.split('%')[0]!;
  let tail: number[] = [];
  // An IPv4 address in the last 32 bits (::ffff:127.0.0.1).
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    tail = ipv4Bytes(v4[1]!) ?? [];
    text = text.slice(0, -v4[1]!.length).replace(/:$/, ':0:0');
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const words = (part: string | undefined) => (part ? part.split(':').filter(Boolean).map((w) => Number.parseInt(w, 16)) : []);
  const front = words(head);
  const back = words(rest);
  const groups = rest === undefined ? front : [...front, ...new Array(8 - front.length - back.length).fill(0), ...back];
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) return undefined;
  const bytes = groups.flatMap((g) => [g >> 8, g & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}
