// `createActionHandler`: pkt's routes as a node:http handler, to mount in an app of your own
// (Express, Fastify's raw request, a bare node:http server). pkt serve is built on it too.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { prepare, type HandlerControl, type HandlerOptions, type Prepared } from './handler-setup.js';
import { withParsedBody } from './http/parsed-body.js';

/**
 * `(req, res, next?)`: answers the routes under its base path; anything else goes to `next`
 * (Express's, Fastify's `done`), or gets a JSON 404 when there is none.
 */
export type ActionHandler = ((req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void) & HandlerControl;

export function createActionHandler(options: HandlerOptions): ActionHandler {
  return nodeHandler(prepare(options));
}

/** The node:http handler over prepared routes: what createActionHandler gives, and what pkt serve runs. */
export function nodeHandler(prepared: Prepared, outside?: (req: IncomingMessage, res: ServerResponse) => boolean): ActionHandler {
  const handler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void => {
    const elsewhere = next
      ? () => {
          next();
          return true;
        }
      : outside && (() => outside(req, res));
    const request = withParsedBody(req);
    prepared.whenReady(request, res, () => prepared.route(request, res, elsewhere));
  };
  return Object.assign(handler, {
    ready: prepared.ready,
    async close() {
      await prepared.stop();
      await prepared.dispose();
    },
  });
}
