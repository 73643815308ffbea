// Action and event names (PROTOCOL.md §1 and §3). Validation lives here so the server never
// turns a bad name into a path lookup, and the encoder never writes a name that breaks framing.

/** Longest action name the server accepts. */
export const MAX_ACTION_NAME_LENGTH = 128;

const ACTION_NAME_RE = /^[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z][A-Za-z0-9_-]*)*$/;

/** Event types: a letter, then up to 63 of letters, digits and `_.:-`. */
export const EVENT_TYPE_RE = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;

/** The two event types that end a stream; an action may not `send` them. */
export const TERMINAL_EVENTS = ['complete', 'error'] as const;
export type TerminalEvent = (typeof TERMINAL_EVENTS)[number];

export function isValidActionName(name: string): boolean {
  return name.length <= MAX_ACTION_NAME_LENGTH && ACTION_NAME_RE.test(name);
}

export function isValidEventType(type: string): boolean {
  return EVENT_TYPE_RE.test(type);
}

export function isTerminalEvent(type: string): type is TerminalEvent {
  return type === 'complete' || type === 'error';
}

/**
 * The key a registry files an action under. Names resolve case-insensitively because
 * Piko's names are `package.StructName` (`task.Process` must find `task.process`).
 */
export function actionKey(name: string): string {
  return name.toLowerCase();
}
