// Failures before a run starts, worded for a person: what went wrong, what to do next.

import { ActionError } from '../../protocol/index.js';

export interface ErrorContext {
  /** The server's URL, as --url or PKT_URL gave it (or the embedded server's). */
  url: string;
  embedded: boolean;
  /** Whether the server published a manifest (pkt does; Piko, and what is no action server, do not). */
  listed?: boolean;
  /** The action called, and the URL it was called at. */
  action?: { name: string; url: string };
}

/** Adds the next step to errors the client words for any caller. */
export function explainError(error: ActionError, context: ErrorContext): ActionError {
  if (error.code === 'UNREACHABLE') {
    const hint = context.embedded
      ? 'the embedded server stopped'
      : 'is `pkt serve` running there? Check --url or PKT_URL';
    return new ActionError(error.status, error.code, `${error.message}; ${hint}`, error.errors);
  }
  if (error.code === 'UNKNOWN_RUN' && context.embedded) {
    return new ActionError(
      error.status,
      error.code,
      `${error.message}; with no --url (or PKT_URL), pkt asked a server it started just now, which has no runs: point --url at the \`pkt serve\` that runs it`,
      error.errors,
    );
  }
  if (error.code === 'UNAUTHORIZED') {
    return new ActionError(error.status, error.code, `${error.message} (server ${context.url})`, error.errors);
  }
  // pkt's own server names the action it lacks, and the closest ones; a 404 that does not
  // (Piko answers "404 page not found", which the client files as UNKNOWN_ACTION) gets told
  // what was missing and where.
  if (error.status === 404 && error.code !== 'UNKNOWN_RUN' && context.action && !error.message.includes(context.action.name)) {
    const { name, url } = context.action;
    // No manifest: most likely Piko, whose names are exact, package.Struct (task.Process).
    const pikoName = context.listed === false ? pikoSpelling(name) : undefined;
    const next = pikoName
      ? `Piko's action names are case-sensitive (package.Struct): try ${pikoName}`
      : context.listed === false
        ? "this server lists no actions (as a Piko server lists none): check the name, in its exact case, in the server's docs"
        : `check the name with \`pkt list --url ${context.url}\` or the server's docs`;
    return new ActionError(error.status, error.code, `no action ${name} at ${url} (the server answered 404: ${error.message}); ${next}`, error.errors);
  }
  // A server without a manifest that does not even take a POST there: a static file server,
  // a web app, the wrong port. Its own words ("Error response") say nothing of that.
  if ((error.status === 405 || error.status === 501) && context.listed === false && !context.embedded && context.action) {
    // No action server answered: for a script, the same as none reachable (exit 69).
    return new ActionError(
      0,
      'UNREACHABLE',
      `${context.action.url} answered ${error.status} (${error.message.trim()}): ${context.url} does not look like an action server (pkt or Piko); check --url or PKT_URL`,
    );
  }
  // The server's message lists the invalid fields, and so do the lines below it: once is enough.
  if (error.status === 422 && error.errors && Object.keys(error.errors).length > 0) {
    return new ActionError(error.status, error.code, `invalid input${context.action ? ` for ${context.action.name}` : ''}:`, error.errors);
  }
  return error;
}

/** `task.process` as Piko spells it, `task.Process` (the struct's name is capitalised); undefined when it already is. */
export function pikoSpelling(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  const last = name.slice(dot + 1);
  if (dot < 0 || last === '' || last[0] === last[0]!.toUpperCase()) return undefined;
  return `${name.slice(0, dot + 1)}${last[0]!.toUpperCase()}${last.slice(1)}`;
}

/** A failed write to stdout that is only the reader leaving (`| head -1`): nothing to report. */
export function readerWentAway(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  // After EPIPE, Node destroys the stream, and later writes fail with ERR_STREAM_DESTROYED.
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/** One line for any other failed write to stdout (a full disk, a closed descriptor). */
export function stdoutFailureText(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  // fs errors read "ENOSPC: no space left on device, write"; the syscall adds nothing.
  const what = error.message.replace(/, write$/, '');
  const named = code && !what.startsWith(code) ? `${code}: ${what}` : what;
  return `cannot write to stdout (${named}); the output is incomplete: check where stdout goes`;
}
