// Turns what was typed into the form into an action's input. Pure, so it is tested without a
// browser.
//
// Validation is the server's job (its 422 `errors` map is shown next to each field); the page
// only refuses what it cannot send at all: a number the browser could not read, JSON that
// does not parse.
import type { FormField } from './schema-fields.js';

/** What one control holds, as the DOM gives it. */
export interface RawValue {
  /** The text typed; for a `select`, the index of the chosen option in `choices` ('' for none). */
  text: string;
  /** A checkbox's state. */
  checked?: boolean;
  /** The browser's `validity.badInput`: typed text a number field cannot hold. */
  badInput?: boolean;
}

export type InputResult = { ok: true; input: unknown } | { ok: false; errors: Record<string, string[]> };

/** The key of the whole-input JSON box's errors, when the action declares no fields. */
export const WHOLE_INPUT = '';

/** The input from the schema's fields: only the fields the action declares are sent. */
export function buildInput(fields: readonly FormField[], read: (name: string) => RawValue | undefined): InputResult {
  const input: Record<string, unknown> = {};
  const errors: Record<string, string[]> = {};
  for (const field of fields) {
    const raw = read(field.name);
    if (!raw) continue;
    const value = valueOf(field, raw);
    if ('error' in value) errors[field.name] = [value.error];
    else if ('value' in value) input[field.name] = value.value;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, input };
}

/** The input typed as JSON in one box, for an action whose schema lists no fields. */
export function parseWholeInput(text: string): InputResult {
  // Nothing typed: an empty object, the input of an action that needs nothing.
  if (text.trim() === '') return { ok: true, input: {} };
  const parsed = parseJson(text, 'any');
  return 'error' in parsed ? { ok: false, errors: { [WHOLE_INPUT]: [parsed.error] } } : { ok: true, input: parsed.value };
}

/** `{}`: leave the field out, so the action uses its default (or says it is required). */
type Value = { value: unknown } | { error: string } | Record<string, never>;

function valueOf(field: FormField, raw: RawValue): Value {
  switch (field.control) {
    case 'checkbox':
      return { value: raw.checked === true };
    case 'select': {
      const index = raw.text === '' ? -1 : Number(raw.text);
      return field.choices && index >= 0 && index < field.choices.length ? { value: field.choices[index] } : {};
    }
    case 'integer':
    case 'number': {
      if (raw.badInput) return { error: field.control === 'integer' ? 'Enter a whole number.' : 'Enter a number.' };
      const text = raw.text.trim();
      // Out-of-range and fractional numbers are sent too, for the server to judge.
      return text === '' ? {} : { value: Number(text) };
    }
    case 'text':
      // An empty optional field is left out; an empty required one is sent as it is, so the
      // server says what is wrong with it.
      return raw.text === '' && !field.required ? {} : { value: raw.text };
    case 'json':
      return raw.text.trim() === '' ? {} : parseJson(raw.text, field.shape ?? 'any');
  }
}

const EXAMPLE = { array: '["a", "b"]', object: '{"key": "value"}', any: '"text", 42, [1, 2] or {"key": "value"}' } as const;

function parseJson(text: string, shape: 'array' | 'object' | 'any'): { value: unknown } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const why = err instanceof SyntaxError ? err.message : String(err);
    return { error: `This is not JSON (${why}). Write JSON, such as ${EXAMPLE[shape]}.` };
  }
  if (shape === 'array' && !Array.isArray(value)) return { error: `Write a JSON list, such as ${EXAMPLE.array}.` };
  if (shape === 'object' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    return { error: `Write a JSON object, such as ${EXAMPLE.object}.` };
  }
  return { value };
}
