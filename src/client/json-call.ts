// The plain call: one POST, one JSON answer (PROTOCOL.md §2, `withStream(false)`).

import { ActionError, JSON_TYPE, actionPath } from '../protocol/index.js';
import type { ClientConfig } from './config.js';
import { encodeInput, type EncodedInput } from './encode-input.js';
import { openEnvelope } from './envelope.js';
import { errorFromResponse, readBody, unreachable } from './failures.js';
import { watchStop } from './stop.js';
import type { CallOptions } from './types.js';

export function jsonCall(config: ClientConfig, name: string, input: unknown, options: CallOptions): Promise<unknown> {
  const url = config.url(actionPath(config.basePath, name));
  let encoded: EncodedInput;
  try {
    encoded = encodeInput(input);
  } catch (err) {
    return Promise.reject(err);
  }
  const controller = new AbortController();
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      dispose();
      fn();
    };
    const dispose = watchStop(options, (error) => {
      // Aborting the request closes the connection: the server cancels what it started.
      controller.abort();
      finish(() => reject(error));
    });
    const headers: Record<string, string> = {
      ...config.headers,
      ...options.headers,
      Accept: JSON_TYPE,
    };
    if (encoded.contentType) headers['Content-Type'] = encoded.contentType;
    config
      .fetch(url, { method: 'POST', headers, body: encoded.body, signal: controller.signal })
      .then(
        async (response) => {
          if (!response.ok) throw await errorFromResponse(response);
          return readBody(response);
        },
        (err: unknown) => {
          throw unreachable(url, err);
        },
      )
      .then(
        (body) => {
          let result: unknown;
          try {
            result = openEnvelope(body, options);
          } catch (err) {
            // withOnEvent's callback threw: the caller's bug, reported as is.
            return finish(() => reject(err));
          }
          finish(() => resolve(result));
        },
        (err: unknown) => finish(() => reject(err instanceof ActionError ? err : unreachable(url, err))),
      );
  });
}
