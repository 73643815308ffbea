// The streaming call, through the `eventsource` package (PROTOCOL.md §3–§5): a call that starts
// a run (POST the input) or one that attaches to a run (GET {base}/runs/{id}), and, when the
// stream drops, re-attaching to that run by id with the last event id seen: never a second
// POST, which would run the action again.
//
// Each connection is one EventSource, and EventSource never reconnects by itself here: when
// its connection is lost, it is closed, and the next attempt is ours, after a backoff with
// jitter (backoff.ts), for at most `maxReconnects` attempts in a row. Besides that:
// - its `fetch` option is where the real request is made (method, headers, Last-Event-ID);
// - every event reaches us because the instance's `dispatchEvent` is where all of them pass
//   (see AllEventsSource), whatever their type;
// - answers that are not a stream (a JSON result, an error) are read in the fetch wrapper,
//   which settles the call and hands EventSource a 204: its signal to stop for good.

import { EventSource } from 'eventsource';
import {
  ActionError,
  EVENT_STREAM_TYPE,
  HEADER_DETACH,
  HEADER_LAST_EVENT_ID,
  HEADER_RUN_ID,
  StreamEvent,
  isTerminalEvent,
  runPath,
} from '../protocol/index.js';
import { backoffDelay } from './backoff.js';
import { cancelRun } from './cancel.js';
import type { ClientConfig } from './config.js';
import { openEnvelope } from './envelope.js';
import { errorFromResponse, readBody, streamEnded, unreachable } from './failures.js';
import { pacedResponse } from './paced-body.js';
import { watchStop } from './stop.js';
import type { CallOptions } from './types.js';

interface Sink {
  message(type: string, data: string, lastEventId: string): void;
  /** EventSource lost or failed its connection. */
  connectionError(message: string | undefined): void;
}

class AllEventsSource extends EventSource {
  sink: Sink | undefined;

  override dispatchEvent(event: Event): boolean {
    const sink = this.sink;
    if (!sink) return super.dispatchEvent(event);
    if ('data' in event && typeof event.data === 'string') {
      const e = event as MessageEvent<string>;
      sink.message(e.type, e.data, e.lastEventId);
    } else if (event.type === 'error') {
      // EventSource dispatches its own connection errors as plain `error` events (no data).
      sink.connectionError((event as Event & { message?: string }).message);
    }
    // Nobody listens on this instance: the sink is the one listener, and EventTarget's own
    // dispatch, with nobody to call, cost a firehose more than the sink did.
    return true;
  }
}

/** Where a streaming call's first request goes. */
export interface StreamStart {
  /** POST the input to an action (a new run), or GET a run (attach). */
  method: 'POST' | 'GET';
  url: string;
  /** The input, as JSON text or (with files) a form. */
  body?: string | FormData;
  /** The body's Content-Type; none for a form, whose boundary fetch writes. */
  contentType?: string;
  /** Known before the first answer when attaching. */
  runId?: string;
  /** Where an attach resumes (PROTOCOL.md §4a); '' replays from the start. */
  lastEventId?: string;
}

/** Why a retrying call gives up at once on a server without runs. */
export const NO_RUN_ID =
  'the server sent no run id (Pkt-Run-Id), as a Piko server sends none, so there is no run to re-attach to; not retried, since sending the input again would run the action twice';

/** Statuses of a re-attach that mean "not now" rather than "never": try again. */
const TRY_AGAIN = new Set([429, 502, 503, 504]);

export function streamCall(config: ClientConfig, start: StreamStart, options: CallOptions): Promise<unknown> {
  // A call that started its run, and was not asked to leave it going, cancels it when it
  // fails: the server would otherwise keep it for its linger time with nobody watching.
  const ownsRun = start.method === 'POST' && !options.detach;
  const retry = options.retry === undefined || options.retry === false ? undefined : options.retry;
  const maxAttempts = retry?.maxReconnects ?? 0;

  return new Promise((resolve, reject) => {
    let runId = start.runId;
    let lastEventId = start.lastEventId ?? '';
    let connections = 0;
    /** Failed re-attach attempts in a row. */
    let attempts = 0;
    let settled = false;
    let source: AllEventsSource | undefined;
    /** The connection whose events count (by its number); 0 between a loss and the next attempt. */
    let active = 0;
    /**
     * The active connection's server said it is pkt's (a Pkt-Run-Id header), whose `data` is
     * always JSON text (PROTOCOL.md §3): its events are marked so, and nobody parses a
     * payload only to learn that. A Piko server sends no run id, and may send any text.
     */
    let jsonWire = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;

    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      disposeStop();
      clearTimeout(retryTimer);
      source?.close();
      fn();
    };
    // Every way a call fails goes through here; `runEnded` when the run's terminal event came.
    const fail = (error: unknown, runEnded = false) => {
      const id = runId;
      settle(() => {
        if (ownsRun && id && !runEnded) cancelQuietly(config, id).finally(() => reject(error));
        else reject(error);
      });
    };
    const disposeStop = watchStop(options, (error) => fail(error));
    const tell = (fn: () => void) => {
      try {
        fn();
      } catch (err) {
        fail(err);
      }
    };

    /** The stream was lost before the run ended: re-attach later, or give up. */
    const lost = (reason: string | undefined) => {
      if (settled) return;
      source?.close();
      source = undefined;
      active = 0;
      // A server that sends no run id (Piko) leaves nothing to re-attach to, and a re-POST
      // would start the action again: give up at once, and say why, rather than wait out
      // the backoff for attempts that cannot work.
      if (runId === undefined) return fail(streamEnded(retry ? NO_RUN_ID : reason));
      if (attempts >= maxAttempts) {
        return fail(streamEnded(attempts > 0 ? `gave up after ${attempts} re-attach attempt${attempts === 1 ? '' : 's'}` : reason));
      }
      attempts += 1;
      const delayMs = backoffDelay(attempts, retry!);
      const info = { attempt: attempts, maxAttempts, delayMs, ...(reason ? { reason } : {}) };
      tell(() => options.onConnection?.('reconnecting', info));
      if (!settled) retryTimer = setTimeout(connect, delayMs);
    };

    const connect = () => {
      connections += 1;
      const first = connections === 1;
      const url = first ? start.url : config.url(runPath(config.basePath, runId!));
      const n = connections;
      active = n;
      // EventSource calls `fetch` from its constructor: everything it needs is set before.
      source = new AllEventsSource(url, { fetch: (_url, init) => request(n, first, url, init) });
      source.sink = sink(n);
    };

    const request = async (n: number, first: boolean, url: string, init?: RequestInit): Promise<Response> => {
      const post = first && start.method === 'POST';
      const headers: Record<string, string> = { ...config.headers, ...options.headers, Accept: EVENT_STREAM_TYPE };
      if (lastEventId) headers[HEADER_LAST_EVENT_ID] = lastEventId;
      if (post && start.contentType) headers['Content-Type'] = start.contentType;
      if (post && options.detach) headers[HEADER_DETACH] = '1';
      let response: Response;
      try {
        response = await config.fetch(url, {
          method: post ? 'POST' : 'GET',
          headers,
          body: post ? start.body : undefined,
          signal: init?.signal ?? null,
          cache: 'no-store',
        });
      } catch (err) {
        // A first connection that fails never reached the server; a re-attach that fails is
        // one more attempt (EventSource reports it to the sink, which counts it).
        if (first) fail(unreachable(url, err));
        throw err;
      }
      if (settled || n !== active) {
        await response.body?.cancel();
        return new Response(null, { status: 204 });
      }
      const id = response.headers.get(HEADER_RUN_ID);
      if (id && runId === undefined) {
        runId = id;
        tell(() => options.onRunId?.(id));
      } else if (first && id && start.method === 'GET') {
        tell(() => options.onRunId?.(id));
      }
      const type = response.headers.get('content-type') ?? '';
      if (response.status === 200 && type.toLowerCase().startsWith(EVENT_STREAM_TYPE)) {
        jsonWire = id !== null;
        tell(() => options.onConnection?.('connected', { attempt: attempts, maxAttempts }));
        const ready = options.backpressure;
        return ready ? pacedResponse(response, ready, (err) => fail(err)) : response;
      }
      if (!first && TRY_AGAIN.has(response.status)) {
        await response.body?.cancel();
        // The sink ignores what this closed source says next; the next attempt is scheduled here.
        lost(`the server answered ${response.status}`);
      } else if (response.status === 204) {
        // "Nothing more for you here": a server's way to stop a reconnecting EventSource.
        fail(streamEnded('the server has no stream for this request'));
      } else if (response.ok) {
        // The server chose JSON (an action without streaming): that body is the result.
        const body = await readBody(response);
        try {
          const result = openEnvelope(body, options);
          settle(() => resolve(result));
        } catch (err) {
          // withOnEvent's callback threw on the helpers: the caller's bug, reported as is.
          fail(err, true);
        }
      } else {
        fail(await errorFromResponse(response));
      }
      return new Response(null, { status: 204 });
    };

    const sink = (n: number): Sink => ({
      message(type, raw, id) {
        if (settled || n !== active) return;
        // The payload is parsed only when read: by a callback, or for the outcome below.
        const event = new StreamEvent(type, id, raw, jsonWire);
        // A re-attach that brings new events has worked: the next loss starts counting afresh.
        // (Only new ones: a server that replays the same event each time must not loop forever.)
        if (id && isAfter(id, lastEventId)) attempts = 0;
        if (id) lastEventId = id;
        const terminal = isTerminalEvent(type);
        try {
          options.onEvent?.(event);
          if (type === 'complete') return settle(() => resolve(event.data));
          // The server ended the run itself: there is nothing left to cancel.
          if (type === 'error') return fail(ActionError.fromBody(event.data, 500), true);
          options.onProgress?.(event.data, type, id);
        } catch (err) {
          // A callback threw: the caller's bug, reported as is rather than swallowed.
          fail(err, terminal);
        }
      },
      connectionError(message) {
        if (settled || n !== active) return;
        lost(message && message !== 'undefined' ? message : undefined);
      },
    });

    try {
      connect();
    } catch (err) {
      fail(err instanceof ActionError ? err : new ActionError(400, 'BAD_ACTION_NAME', `cannot call ${start.url}: ${String(err)}`));
    }
  });
}

/** True when event id `id` comes after `previous`: seqs by number, any other ids when they differ. */
function isAfter(id: string, previous: string): boolean {
  if (previous === '') return true;
  const [a, b] = [Number(id), Number(previous)];
  return Number.isFinite(a) && Number.isFinite(b) ? a > b : id !== previous;
}

/** Best effort: a run that cannot be cancelled ends on its own after the server's linger time. */
function cancelQuietly(config: ClientConfig, runId: string): Promise<void> {
  return cancelRun(config, runId, AbortSignal.timeout(5000)).then(
    () => {},
    () => {},
  );
}
