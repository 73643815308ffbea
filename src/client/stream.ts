// The streaming call, through the `eventsource` package (PROTOCOL.md §3–§5).
//
// EventSource only GETs, and only hands named events to listeners registered by name, so:
// - its `fetch` option is where the real request is made: the first connection POSTs the
//   input to the action; every later one (its own reconnects) GETs `{base}/runs/{runId}`,
//   with the Last-Event-ID it keeps, so a run is never started twice;
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
  JSON_TYPE,
  StreamEvent,
  actionPath,
  isTerminalEvent,
  runPath,
} from '../protocol/index.js';
import { cancelRun } from './cancel.js';
import type { ClientConfig } from './config.js';
import { encodeInput } from './encode-input.js';
import { errorFromResponse, readBody, streamEnded, unreachable } from './failures.js';
import { pacedResponse } from './paced-body.js';
import { watchStop } from './stop.js';
import type { CallOptions } from './types.js';

interface Sink {
  message(type: string, data: string, lastEventId: string): void;
  /** EventSource lost or failed its connection; `reconnecting` when it means to try again. */
  connectionError(message: string | undefined, reconnecting: boolean): void;
}

class AllEventsSource extends EventSource {
  sink: Sink | undefined;

  override dispatchEvent(event: Event): boolean {
    if (this.sink) {
      if ('data' in event && typeof event.data === 'string') {
        const e = event as MessageEvent<string>;
        this.sink.message(e.type, e.data, e.lastEventId);
      } else if (event.type === 'error') {
        // EventSource dispatches its own connection errors as plain `error` events (no data);
        // readyState tells whether it has given up or scheduled a reconnect.
        const message = (event as Event & { message?: string }).message;
        this.sink.connectionError(message, this.readyState === this.CONNECTING);
      }
    }
    return super.dispatchEvent(event);
  }
}

export function streamCall(config: ClientConfig, name: string, input: unknown, options: CallOptions): Promise<unknown> {
  const actionUrl = config.url(actionPath(config.basePath, name));
  let body: string;
  try {
    body = encodeInput(input);
  } catch (err) {
    return Promise.reject(err);
  }
  // Retrying needs the run to outlive a dropped connection, so it asks the server to keep
  // the run (Pkt-Detach), and then cancels it itself (DELETE) whenever the call fails.
  const detach = options.detach || options.retry !== undefined;
  const cancelOnStop = !options.detach;
  const maxReconnects = options.retry?.maxReconnects ?? 0;

  return new Promise((resolve, reject) => {
    let runId: string | undefined;
    let connections = 0;
    let reconnects = 0;
    let settled = false;
    let source: AllEventsSource | undefined;

    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      disposeStop();
      // Closing at once matters: EventSource reconnects on its own after the server closes.
      source?.close();
      fn();
    };
    // Every way a call fails goes through here. A run detached only for retrying would go on
    // without anyone watching, so it is cancelled first, unless the run itself has ended (its
    // terminal event came), which leaves nothing to cancel.
    const fail = (error: unknown, runEnded = false) => {
      const id = runId;
      settle(() => {
        if (detach && cancelOnStop && id && !runEnded) {
          cancelQuietly(config, id).finally(() => reject(error));
        } else {
          reject(error);
        }
      });
    };
    const canReconnect = () => runId !== undefined && reconnects < maxReconnects;

    const disposeStop = watchStop(options, (error) => fail(error));

    const esFetch = async (_url: string | URL, init?: RequestInit): Promise<Response> => {
      connections += 1;
      const first = connections === 1;
      const esHeaders = new Headers(init?.headers);
      const headers: Record<string, string> = { ...config.headers, ...options.headers, Accept: EVENT_STREAM_TYPE };
      // EventSource keeps the last id it saw and offers it on each reconnect.
      const lastEventId = esHeaders.get(HEADER_LAST_EVENT_ID);
      if (lastEventId) headers[HEADER_LAST_EVENT_ID] = lastEventId;
      if (detach) headers[HEADER_DETACH] = '1';
      if (first) headers['Content-Type'] = JSON_TYPE;
      // A reconnect without a run id (a server that sends none, like Piko) could only
      // re-POST, which would start the action again: stop instead.
      if (!first && runId === undefined) {
        fail(streamEnded('the server gave no run id to re-attach with'));
        return new Response(null, { status: 204 });
      }
      const url = first ? actionUrl : config.url(runPath(config.basePath, runId!));
      let response: Response;
      try {
        response = await config.fetch(url, {
          method: first ? 'POST' : 'GET',
          headers,
          body: first ? body : undefined,
          signal: init?.signal ?? null,
          cache: 'no-store',
        });
      } catch (err) {
        // A first connection that fails never reached the server; a failed re-attach is
        // handed back to EventSource, which retries while reconnects remain.
        if (first) fail(unreachable(url, err));
        throw err;
      }
      if (first) {
        const id = response.headers.get(HEADER_RUN_ID);
        if (id) {
          runId = id;
          try {
            options.onRunId?.(id);
          } catch (err) {
            fail(err);
          }
        }
      }
      const type = response.headers.get('content-type') ?? '';
      if (response.status === 200 && type.toLowerCase().startsWith(EVENT_STREAM_TYPE)) {
        const ready = options.backpressure;
        return ready ? pacedResponse(response, ready, (err) => fail(err)) : response;
      }
      if (response.status === 204) {
        // "Nothing more for you here": a server's way to stop a reconnecting EventSource.
        fail(streamEnded('the server has no stream for this request'));
      } else if (response.ok) {
        // The server chose JSON (an action without streaming): that body is the result.
        const body = await readBody(response);
        settle(() => resolve(body));
      } else {
        fail(await errorFromResponse(response));
      }
      return new Response(null, { status: 204 });
    };

    const sink: Sink = {
      message(type, raw, id) {
        if (settled) return;
        // The payload is parsed only when read: by a callback, or for the outcome below.
        const event = new StreamEvent(type, id, raw);
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
      connectionError(message, reconnecting) {
        if (settled) return;
        if (reconnecting && canReconnect()) {
          reconnects += 1;
          return;
        }
        const detail = reconnects > 0 ? `gave up after ${reconnects} re-attach attempt${reconnects === 1 ? '' : 's'}` : message;
        fail(streamEnded(detail && detail !== 'undefined' ? detail : undefined));
      },
    };

    try {
      source = new AllEventsSource(actionUrl, { fetch: esFetch });
      source.sink = sink;
    } catch (err) {
      fail(err instanceof ActionError ? err : new ActionError(400, 'BAD_ACTION_NAME', `cannot call "${name}": ${String(err)}`));
    }
  });
}

/** Best effort: a run that cannot be cancelled ends on its own when its history expires. */
function cancelQuietly(config: ClientConfig, runId: string): Promise<void> {
  return cancelRun(config, runId, AbortSignal.timeout(5000)).catch(() => {});
}
