// Turns the form's fields into an action's input. Pure, so it is tested without a browser.
//
// Validation is the server's job (its 422 `errors` map is shown next to each field); the page
// only refuses what it cannot send at all: a number field the browser could not read.

export interface FieldValue {
  /** The input's key: `name`, `steps`, `delayMs`. */
  name: string;
  kind: 'text' | 'number';
  value: string;
  /** The browser's `validity.badInput`: typed text a number field cannot hold. */
  badInput?: boolean;
}

export type InputResult =
  | { ok: true; input: Record<string, unknown> }
  | { ok: false; errors: Record<string, string[]> };

/**
 * `accepted`: the properties the action's input schema lists, when the manifest says; other
 * fields are left out, so a strict schema never sees a key it does not know.
 */
export function buildInput(fields: readonly FieldValue[], accepted?: ReadonlySet<string>): InputResult {
  const input: Record<string, unknown> = {};
  const errors: Record<string, string[]> = {};
  for (const field of fields) {
    if (accepted && !accepted.has(field.name)) continue;
    if (field.kind === 'text') {
      input[field.name] = field.value;
      continue;
    }
    if (field.badInput) {
      errors[field.name] = ['Enter a whole number.'];
      continue;
    }
    const text = field.value.trim();
    // An empty number field means "the action's default", so it is left out.
    if (text === '') continue;
    input[field.name] = Number(text);
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, input };
}

/** The input schema's property names, or undefined when the schema does not list them. */
export function acceptedFields(schema: unknown): Set<string> | undefined {
  const properties = (schema as { properties?: unknown } | null)?.properties;
  if (typeof properties !== 'object' || properties === null) return undefined;
  return new Set(Object.keys(properties));
}
