// The input as an action's schema should see it, whoever sent it. Two things Piko's client
// does that an action must not have to know about:
// - it adds its CSRF and captcha tokens to the input itself (Piko's server takes them out
//   before validation, and so does pkt, which checks neither: its guards are the token,
//   the Host and the Origin);
// - in a multipart/form-data body every field is text (`String(value)`), so `steps: 3`
//   arrives as "3". The action's JSON Schema says what each top-level field should be, and
//   text that reads cleanly as that is turned into it; anything else is left for the schema
//   to refuse with a 422 that names the field.

import type { JsonSchema } from '../../protocol/index.js';

/** Keys Piko's client adds to every input. */
export const PIKO_TOKEN_KEYS = ['_csrf_ephemeral_token', '_captcha_token'] as const;

export function stripPikoTokens(input: Record<string, unknown>): Record<string, unknown> {
  if (!PIKO_TOKEN_KEYS.some((key) => Object.hasOwn(input, key))) return input;
  const rest = { ...input };
  for (const key of PIKO_TOKEN_KEYS) delete rest[key];
  return rest;
}

/** Form fields (text, or lists of text) typed by the action's schema; files are left as they are. */
export function typeFormFields(schema: JsonSchema, input: Record<string, unknown>): Record<string, unknown> {
  const properties = asSchema(schema.properties);
  if (!properties) return input;
  const typed: Record<string, unknown> = { ...input };
  for (const [name, value] of Object.entries(input)) {
    const field = Object.hasOwn(properties, name) ? asSchema(properties[name]) : undefined;
    if (field) typed[name] = typeValue(value, field);
  }
  return typed;
}

function typeValue(value: unknown, schema: JsonSchema): unknown {
  const type = typeOf(schema);
  if (type === 'array') {
    // One part is one item: a form with one file (or one tag) for a list field.
    const items = asSchema(schema.items) ?? {};
    const list = Array.isArray(value) ? value : [value];
    if (typeof value === 'string' && value.trim().startsWith('[')) {
      const parsed = parseJson(value);
      if (Array.isArray(parsed)) return parsed;
    }
    return list.map((item) => typeValue(item, items));
  }
  if (typeof value !== 'string') return value;
  switch (type) {
    case 'integer':
    case 'number': {
      const n = Number(value);
      return value.trim() !== '' && Number.isFinite(n) ? n : value;
    }
    case 'boolean':
      // "on" is what an HTML checkbox sends when it is ticked.
      if (value === 'true' || value === 'on') return true;
      return value === 'false' ? false : value;
    case 'null':
      return value === '' || value === 'null' ? null : value;
    case 'object': {
      const parsed = parseJson(value);
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : value;
    }
    default:
      return value;
  }
}

/** The one type a field has (`["integer","null"]` is an integer that may be left out), if any. */
function typeOf(schema: JsonSchema): string | undefined {
  const { type } = schema;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const real = type.filter((t) => t !== 'null');
    return real.length === 1 && typeof real[0] === 'string' ? real[0] : undefined;
  }
  return undefined;
}

function asSchema(value: unknown): Record<string, JsonSchema> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, JsonSchema>) : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
