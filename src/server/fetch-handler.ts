// `createFetchHandler`: pkt's routes as `(request: Request) => Promise<Response>`, for Hono,
// Next.js route handlers, Bun and Deno. An event stream is the Response's ReadableStream: the
// reader's pace is the action's (`send` waits while it lags), and the request's signal
// aborting, or the body being cancelled, is the client leaving.

import { prepare, type HandlerControl, type HandlerOptions } from './handler-setup.js';
import { requestIn, WebResponse } from './http/web-exchange.js';

/** `(request) => Promise<Response>`; a request outside the base path gets a JSON 404. */
export type FetchHandler = ((request: Request) => Promise<Response>) & HandlerControl;

export function createFetchHandler(options: HandlerOptions): FetchHandler {
  const prepared = prepare(options, {}, 'createFetchHandler');
  const handler = (request: Request): Promise<Response> => {
    const res = new WebResponse(request.signal);
    const req = requestIn(request);
    prepared.whenReady(req, res, () => prepared.route(req, res));
    return res.response;
  };
  return Object.assign(handler, {
    ready: prepared.ready,
    async close() {
      await prepared.stop();
      await prepared.dispose();
    },
  });
}
