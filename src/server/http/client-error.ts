// Requests Node's HTTP parser refuses before any handler sees them: a bad Content-Length or
// Transfer-Encoding, headers over Node's limit, a request line that is not HTTP, a request
// that takes too long to arrive. Node would answer these with an empty body; here they get
// the JSON error every other answer has, and one short line in the log.

import type { Duplex } from 'node:stream';
import { ActionError } from '../../protocol/index.js';
import { answerRaw } from './raw-answer.js';

type ParserError = Error & { code?: string; reason?: string };

const GONE = new Set(['ECONNRESET', 'EPIPE', 'HPE_INVALID_EOF_STATE']);

export function errorForClientFault(err: ParserError, limits: { headersTimeoutMs: number; requestTimeoutMs: number }): ActionError {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new ActionError(431, 'TOO_LARGE', 'the request headers are too large; send fewer or shorter headers');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new ActionError(413, 'TOO_LARGE', 'the chunk extensions of the body are too large; send the body without them');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ActionError(
        408,
        'TIMEOUT',
        `the request did not arrive in time (headers within ${limits.headersTimeoutMs / 1000} s, the whole request within ${limits.requestTimeoutMs / 1000} s); send it again`,
      );
    default: {
      // llhttp's reason is short and fixed ("Invalid header value char"); never the input itself.
      const reason = (err.reason ?? err.code ?? 'malformed request').slice(0, 80);
      return new ActionError(400, 'BAD_REQUEST', `the request is not valid HTTP (${reason}); check its request line and headers`);
    }
  }
}

/** The server's `clientError` listener. */
export function clientErrorHandler(limits: { headersTimeoutMs: number; requestTimeoutMs: number }, log: (line: string) => void) {
  return (err: ParserError, socket: Duplex): void => {
    // The client is gone, or ended its side halfway through a request: nobody to answer (a
    // request the handler had begun is reported there, once).
    if (GONE.has(err.code ?? '') || !socket.writable) {
      socket.destroy();
      return;
    }
    // A response already under way cannot be replaced by another.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const error = errorForClientFault(err, limits);
    log(`refused a request: ${error.status} ${error.code} (${err.code ?? 'parser'})`);
    answerRaw(socket, error);
  };
}
