// Serves the progress tracker page. Placeholder until the page lands (issue 4): it claims no
// request, so the server answers 404 for everything outside the actions' base path.
import type { IncomingMessage, ServerResponse } from 'node:http';

export function serveWeb(_req: IncomingMessage, _res: ServerResponse): boolean {
  return false;
}
