// The streaming call (PROTOCOL.md §3–§5): a call that starts a run (POST the input) or one
// that attaches to a run (GET {base}/runs/{id}), and, when the stream drops, re-attaching to
// that run by id with the last event id seen: never a second POST, which would run the
// action again.
//
// Each connection is one fetch whose body protocol's decoder reads (read-events.ts), the same
// decoder the rest of pkt uses, straight into StreamEvents. Nothing reconnects by itself: when
// a connection is lost, the next attempt is ours, after a backoff with jitter (backoff.ts),
// for at most `maxReconnects` attempts in a row. Answers that are not a stream (a JSON
// result, an error) settle the call from the response.
//
// This was built on the `eventsource` package until its per-event work (a MessageEvent and an
// EventTarget dispatch for each event, the parse, then ours again) was most of what a fast
// stream cost the client: reading the body here does the same job with one decoder.

import {
  ActionError,
  EVENT_STREAM_TYPE,
  HEADER_DETACH,
  HEADER_LAST_EVENT_ID,
  HEADER_RUN_ID,
  isTerminalEvent,
  runPath,
  type StreamEvent,
} from '../protocol/index.js';
import { backoffDelay } from './backoff.js';
import { cancelRun } from './cancel.js';
import type { ClientConfig } from './config.js';
import { openEnvelope } from './envelope.js';
import { errorFromResponse, readBody, streamEnded, unreachable } from './failures.js';
import { readEvents } from './read-events.js';
import { watchStop } from './stop.js';
import type { CallOptions } from './types.js';

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
    /** Aborts the connection in use, if any. */
    let connection: AbortController | undefined;
    /** The connection whose events count (by its number); 0 between a loss and the next attempt. */
    let active = 0;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;

    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      disposeStop();
      clearTimeout(retryTimer);
      connection?.abort();
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
      connection?.abort();
      connection = undefined;
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
      connection = new AbortController();
      void open(n, first, url, connection.signal);
    };

    /** One connection: the request, then its events until the body ends or fails. */
    const open = async (n: number, first: boolean, url: string, signal: AbortSignal): Promise<void> => {
      let response: Response | undefined;
      try {
        response = await request(n, first, url, signal);
      } catch (err) {
        // A first connection that fails never reached the server; a re-attach that fails is
        // one more attempt.
        if (settled || n !== active) return;
        if (first) fail(unreachable(url, err));
        else lost(errorText(err));
        return;
      }
      if (!response?.body) return;
      const ready = options.backpressure;
      try {
        await readEvents(response.body, {
          onEvent: (event) => message(n, event),
          // A pkt server (it names its run) sends JSON text only (§3): nobody parses its
          // payloads just to learn that. A Piko server sends no run id, and may send any text.
          knownJson: response.headers.has(HEADER_RUN_ID),
          ...(ready && {
            ready: async () => {
              try {
                await ready();
              } catch (err) {
                // The caller's check threw: its bug, reported as is.
                fail(err);
                throw err;
              }
            },
          }),
        });
        if (settled || n !== active) return;
        // The body ended before a terminal event.
        lost(undefined);
      } catch (err) {
        if (settled || n !== active) return;
        lost(errorText(err));
      }
    };

    /** The answer to one connection's request: its streaming response, or undefined once handled here. */
    const request = async (n: number, first: boolean, url: string, signal: AbortSignal): Promise<Response | undefined> => {
      const post = first && start.method === 'POST';
      const headers: Record<string, string> = { ...config.headers, ...options.headers, Accept: EVENT_STREAM_TYPE };
      if (lastEventId) headers[HEADER_LAST_EVENT_ID] = lastEventId;
      if (post && start.contentType) headers['Content-Type'] = start.contentType;
      if (post && options.detach) headers[HEADER_DETACH] = '1';
      const response = await config.fetch(url, {
        method: post ? 'POST' : 'GET',
        headers,
        body: post ? start.body : undefined,
        signal,
        cache: 'no-store',
      });
      if (settled || n !== active) {
        await response.body?.cancel();
        return undefined;
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
        tell(() => options.onConnection?.('connected', { attempt: attempts, maxAttempts }));
        return settled ? undefined : response;
      }
      if (!first && TRY_AGAIN.has(response.status)) {
        await response.body?.cancel();
        lost(`the server answered ${response.status}`);
      } else if (response.status === 204) {
        // "Nothing more for you here": how a server stops a reconnecting EventSource.
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
      return undefined;
    };

    /** One event off connection `n`. */
    const message = (n: number, event: StreamEvent) => {
      if (settled || n !== active) return;
      const { type, id } = event;
      // A re-attach that brings new events has worked: the next loss starts counting afresh.
      // (Only new ones: a server that replays the same event each time must not loop forever.)
      if (attempts > 0 && id && isAfter(id, lastEventId)) attempts = 0;
      if (id) lastEventId = id;
      const terminal = isTerminalEvent(type);
      try {
        options.onEvent?.(event);
        // The payload is parsed only when read: by a callback, or for the outcome below.
        if (type === 'complete') return settle(() => resolve(event.data));
        // The server ended the run itself: there is nothing left to cancel.
        if (type === 'error') return fail(ActionError.fromBody(event.data, 500), true);
        options.onProgress?.(event.data, type, id);
      } catch (err) {
        // A callback threw: the caller's bug, reported as is rather than swallowed.
        fail(err, terminal);
      }
    };

    connect();
  });
}

/** True when event id `id` comes after `previous`: seqs by number, any other ids when they differ. */
function isAfter(id: string, previous: string): boolean {
  if (previous === '') return true;
  const a = Number(id);
  const b = Number(previous);
  return Number.isFinite(a) && Number.isFinite(b) ? a > b : id !== previous;
}

/** What a failed fetch or read says, its causes included ("fetch failed: other side closed"). */
function errorText(err: unknown): string | undefined {
  if (!(err instanceof Error)) return err === undefined ? undefined : String(err);
  // Both addresses of `localhost` refused: one error for each.
  if (err instanceof AggregateError && err.errors.length > 0) return err.errors.map(errorText).join(', ');
  const cause = err.cause instanceof Error ? `: ${errorText(err.cause)}` : '';
  return `${err.message}${cause}`;
}

/** Best effort: a run that cannot be cancelled ends on its own after the server's linger time. */
function cancelQuietly(config: ClientConfig, runId: string): Promise<void> {
  return cancelRun(config, runId, AbortSignal.timeout(5000)).then(
    () => {},
    () => {},
  );
}
