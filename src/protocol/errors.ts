// The error shape every answer and `error` event carries (PROTOCOL.md §2 and §3).

export const ERROR_CODES = [
  // The HTTP request itself is malformed: its target, its headers, its framing.
  'BAD_REQUEST',
  'BAD_JSON',
  'BAD_ACTION_NAME',
  // A query parameter that is not what the route takes (`?state=`, `?limit=`, `?from=`).
  'BAD_QUERY',
  'UNAUTHORIZED',
  'FORBIDDEN_ORIGIN',
  'NOT_FOUND',
  // The page's files are missing: run `npm run build`.
  'NOT_BUILT',
  'UNKNOWN_ACTION',
  'UNKNOWN_RUN',
  'METHOD_NOT_ALLOWED',
  'NOT_STREAMABLE',
  'TOO_LARGE',
  'BAD_CONTENT_TYPE',
  // A multipart/form-data body that cannot be read (no boundary, cut short, too many parts).
  'BAD_MULTIPART',
  'INVALID_INPUT',
  'BUSY',
  'INTERNAL',
  'CANCELLED',
  'TIMEOUT',
  'SHUTDOWN',
  // More than one process (PROTOCOL.md §4b): no live worker has the action (503); the worker
  // running a run died and the action does not retry (in an `error` event); the run store (Redis)
  // lost the run, restarted without its data (in an `error` event).
  'NO_WORKER',
  'WORKER_LOST',
  'STORE_LOST',
  // Client-side only: the stream closed before a terminal event, or the server was unreachable.
  'STREAM_ENDED',
  'UNREACHABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Per-field messages, keyed by a dotted field path (`items.0.name`); `''` for the root. */
export type FieldErrors = Record<string, string[]>;

export interface ErrorBody {
  status: number;
  code: string;
  message: string;
  errors?: FieldErrors;
}

/** Marks an ActionError across copies of pkt's code (`Symbol.for` is the same in every one). */
const ACTION_ERROR_BRAND = Symbol.for('pkt.ActionError');

/** The one error type clients reject with, and servers throw to answer with a status. */
export class ActionError extends Error implements ErrorBody {
  readonly status: number;
  readonly code: string;
  readonly errors?: FieldErrors;
  declare readonly [ACTION_ERROR_BRAND]: true;

  constructor(status: number, code: string, message: string, errors?: FieldErrors) {
    super(message);
    this.name = 'ActionError';
    this.status = status;
    this.code = code;
    if (errors) this.errors = errors;
  }

  /**
   * `err instanceof ActionError` holds for an ActionError from any copy of pkt: an action file
   * that tsx loads gets modules of its own (pkt/server's included), and a user's folder may have
   * its own pkt; a thrown ActionError must keep its status and code all the same. Subclasses
   * keep the usual test.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== ActionError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ACTION_ERROR_BRAND] === true;
  }

  toJSON(): ErrorBody {
    return errorBody(this.status, this.code, this.message, this.errors);
  }

  /**
   * Reads an error body from the wire, keeping what it can of a loose one: Piko's 422 maps each
   * field to one string rather than a list, and its 400 for a bad body is `{error, details}`.
   */
  static fromBody(body: unknown, fallbackStatus = 500): ActionError {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Partial<ErrorBody> & { error?: unknown; details?: unknown };
    const status = typeof b.status === 'number' ? b.status : fallbackStatus;
    const code = typeof b.code === 'string' && b.code ? b.code : codeForStatus(status);
    const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
    const error = text(b.error);
    const details = text(b.details);
    const message =
      text(b.message) ??
      (error && details ? `${error}: ${details}` : error ?? details) ??
      (typeof body === 'string' && body !== '' ? body : `HTTP ${status}`);
    return new ActionError(status, code, message, fieldErrors(b.errors));
  }
}
Object.defineProperty(ActionError.prototype, ACTION_ERROR_BRAND, { value: true });

export function errorBody(status: number, code: string, message: string, errors?: FieldErrors): ErrorBody {
  return errors ? { status, code, message, errors } : { status, code, message };
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.status === 'number' && typeof v.code === 'string' && typeof v.message === 'string';
}

/** Per-field messages as pkt keeps them, from lists of strings or (Piko) one string a field. */
function fieldErrors(value: unknown): FieldErrors | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const errors: FieldErrors = {};
  for (const [field, messages] of Object.entries(value)) {
    if (typeof messages === 'string') errors[field] = [messages];
    else if (Array.isArray(messages) && messages.every((m) => typeof m === 'string')) errors[field] = messages;
    else return undefined;
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}

/** A code for a bare status, for answers (from Piko or a proxy) that carry none. */
export function codeForStatus(status: number): string {
  switch (status) {
    case 400: return 'BAD_JSON';
    case 401: return 'UNAUTHORIZED';
    case 403: return 'FORBIDDEN_ORIGIN';
    case 404: return 'UNKNOWN_ACTION';
    case 405: return 'METHOD_NOT_ALLOWED';
    case 406: return 'NOT_STREAMABLE';
    case 413: return 'TOO_LARGE';
    case 415: return 'BAD_CONTENT_TYPE';
    case 422: return 'INVALID_INPUT';
    case 429: return 'BUSY';
    default: return 'INTERNAL';
  }
}
