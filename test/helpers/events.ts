// Events for tests of what reads them (output modes, the reducer, the view): made as they come
// off the wire, with the payload as pkt's server sends it, JSON.stringify's text.
import { StreamEvent } from '../../src/protocol/index.js';

export function wireEvent(type: string, id: string, data: unknown): StreamEvent {
  const json = JSON.stringify(data);
  if (json === undefined) throw new TypeError(`${String(data)} is no JSON payload; a server sends null for nothing`);
  return new StreamEvent(type, id, json);
}
