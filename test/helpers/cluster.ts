// Scale-out tests' pieces: front ends (`pkt serve --redis`) and workers (`pkt worker`) as real
// processes of the built CLI, and an event-stream reader that a test can stop and resume.

import { createDecoder, type StreamEvent } from '../../src/protocol/index.js';
import { ensureBuilt, startPkt, until, type PktChild } from '../cli/helpers/pkt-process.js';

export const BASE = '/_piko/actions';
export const CLUSTER_ACTIONS = new URL('../e2e/fixtures/cluster-actions/', import.meta.url).pathname;

export interface Proc extends PktChild {
  /** kill -9, and wait until it is gone. */
  kill(): Promise<void>;
  /** SIGTERM, and wait (a graceful stop). */
  stop(): Promise<void>;
}

function proc(child: PktChild): Proc {
  const gone = async (signal: NodeJS.Signals) => {
    if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill(signal);
    await child.exited;
  };
  return Object.assign(child, { kill: () => gone('SIGKILL'), stop: () => gone('SIGTERM') });
}

export interface Front extends Proc {
  url: string;
}

/** A front end on a free port: `--no-worker` unless `withWorker`. */
export async function startFront(redis: string, extra: string[] = []): Promise<Front> {
  ensureBuilt();
  const child = proc(startPkt(['serve', '--port', '0', '--redis', redis, '--no-worker', ...extra]));
  await until(() => /pkt serving on (\S+)/.test(child.stdout()) || child.child.exitCode !== null, 'the front end to start');
  const url = /pkt serving on (\S+)/.exec(child.stdout())?.[1];
  if (!url) throw new Error(`pkt serve did not start: ${child.stderr()}`);
  return Object.assign(child, { url });
}

/** A worker with the test actions, finding dead workers within `stall`, lingering 1 s (short, for tests). */
export async function startWorker(redis: string, stall = '2s', extra: string[] = []): Promise<Proc> {
  ensureBuilt();
  const child = proc(startPkt(['worker', '--redis', redis, '--actions', CLUSTER_ACTIONS, '--stall-timeout', stall, '--linger', '1s', ...extra]));
  await until(() => /^pkt worker /m.test(child.stdout()) || child.child.exitCode !== null, 'the worker to start');
  if (!/^pkt worker /m.test(child.stdout())) throw new Error(`pkt worker did not start: ${child.stderr()}`);
  return child;
}

/** An event stream, read as the test asks: `next()` is the next event, or null at the end. */
export interface EventReader {
  status: number;
  headers: Headers;
  next(): Promise<StreamEvent | null>;
  /** Every event until the end of the stream. */
  rest(): Promise<StreamEvent[]>;
  close(): void;
}

export async function openStream(url: string, init: RequestInit = {}): Promise<EventReader> {
  const controller = new AbortController();
  const res = await fetch(url, {
    ...init,
    signal: controller.signal,
    headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) },
  });
  const queue: StreamEvent[] = [];
  const decoder = createDecoder({ onEvent: (e) => queue.push(e) });
  const reader = res.body!.getReader();
  let ended = false;
  const next = async (): Promise<StreamEvent | null> => {
    while (queue.length === 0 && !ended) {
      try {
        const { done, value } = await reader.read();
        if (done) ended = true;
        else decoder.feed(value);
      } catch {
        ended = true;
      }
    }
    return queue.shift() ?? null;
  };
  return {
    status: res.status,
    headers: res.headers,
    next,
    async rest() {
      const out: StreamEvent[] = [];
      for (let e = await next(); e; e = await next()) out.push(e);
      return out;
    },
    close: () => controller.abort(),
  };
}

/** POSTs to start a run and opens its stream. */
export function startRun(front: string, action: string, input: unknown, headers: Record<string, string> = {}): Promise<EventReader> {
  return openStream(`${front}${BASE}/${action}`, { method: 'POST', body: JSON.stringify(input), headers });
}

/** Re-attaches to a run after `lastSeq`. */
export function attach(front: string, runId: string, lastSeq: number): Promise<EventReader> {
  return openStream(`${front}${BASE}/runs/${runId}`, { headers: { 'Last-Event-ID': String(lastSeq) } });
}

/** Seqs of the events, as numbers. */
export const seqs = (events: StreamEvent[]) => events.map((e) => Number(e.id));

/** True when the seqs are `from`, `from + 1`, ... with no gap and no repeat. */
export function contiguous(events: StreamEvent[], from: number): boolean {
  return events.every((e, i) => Number(e.id) === from + i);
}
