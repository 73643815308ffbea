// From an action's JSON Schema (the manifest's `input`) to the fields of the page's form: which
// control each property gets, and what its hint says. Pure, so it is tested without a browser.
//
// Only what a form can offer is read (type, enum, bounds, default, description, required);
// the server validates everything else and its 422 lands next to the field.
import type { JsonSchema } from '../protocol/index.js';

/** The control a property is entered with. `json`: a text box holding JSON (lists, objects, anything else). */
export type Control = 'text' | 'integer' | 'number' | 'checkbox' | 'select' | 'json';

export interface FormField {
  name: string;
  control: Control;
  required: boolean;
  description?: string;
  /** Present when the schema gives one (`'default' in field`): it may be any JSON value. */
  default?: unknown;
  /** `select`: the allowed values, of any JSON type. */
  choices?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  /** `json`: what the text must parse to. */
  shape?: 'array' | 'object' | 'any';
}

/**
 * The form's fields for an input schema, in the schema's order; undefined when the schema
 * lists no properties (no manifest, `{}`, a library that could not say), where the page offers
 * one JSON box for the whole input instead.
 */
export function formFields(schema: JsonSchema | undefined): FormField[] | undefined {
  const properties = objectOf(schema?.properties);
  if (!properties || Object.keys(properties).length === 0) return undefined;
  const required = new Set(Array.isArray(schema?.required) ? schema.required.map(String) : []);
  return Object.entries(properties).map(([name, raw]) => fieldOf(name, objectOf(raw) ?? {}, required.has(name)));
}

function fieldOf(name: string, raw: JsonSchema, required: boolean): FormField {
  const prop = withoutNull(raw);
  const field: FormField = { name, control: controlOf(prop), required };
  const description = prop.description ?? raw.description;
  if (typeof description === 'string' && description.trim()) field.description = description.trim();
  if ('default' in raw) field.default = raw.default;
  else if ('default' in prop) field.default = prop.default;
  const choices = choicesOf(prop);
  if (choices) field.choices = choices;
  for (const key of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength'] as const) {
    if (typeof prop[key] === 'number') field[key] = prop[key];
  }
  if (field.control === 'json') field.shape = typeOf(prop) === 'array' ? 'array' : typeOf(prop) === 'object' ? 'object' : 'any';
  return field;
}

function controlOf(prop: JsonSchema): Control {
  if (choicesOf(prop)) return 'select';
  switch (typeOf(prop)) {
    case 'string':
      return 'text';
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'boolean':
      return 'checkbox';
    default:
      return 'json';
  }
}

/** The allowed values, when the schema lists them: `enum`, `const`, or a union of those (`z.literal(1).or(z.literal(2))`). */
function choicesOf(prop: JsonSchema): unknown[] | undefined {
  if (Array.isArray(prop.enum)) return prop.enum.length > 0 ? prop.enum : undefined;
  if ('const' in prop) return [prop.const];
  const options = Array.isArray(prop.anyOf) ? prop.anyOf : Array.isArray(prop.oneOf) ? prop.oneOf : undefined;
  if (!options || options.length === 0) return undefined;
  const each = options.map((o) => {
    const option = objectOf(o);
    return option ? choicesOf(option) : undefined;
  });
  return each.every((c) => c !== undefined) ? each.flat() : undefined;
}

/**
 * `nullable` and optional fields come as `type: ['string', 'null']` or `anyOf: [X, {type: 'null'}]`:
 * the form enters the X (leaving a field empty already sends nothing).
 */
function withoutNull(prop: JsonSchema): JsonSchema {
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = Array.isArray(prop[key]) ? (prop[key] as unknown[]).map(objectOf) : undefined;
    if (!options) continue;
    const rest = options.filter((o) => o?.type !== 'null');
    if (rest.length === 1 && rest[0]) return { ...rest[0], ...without(prop, key) };
  }
  return prop;
}

function typeOf(prop: JsonSchema): unknown {
  if (!Array.isArray(prop.type)) return prop.type;
  const types = prop.type.filter((t) => t !== 'null');
  return types.length === 1 ? types[0] : undefined;
}

/**
 * One line under the field: its description, the bounds worth knowing before a 422, and the
 * default the action uses when the field is left empty.
 */
export function fieldHint(field: FormField): string {
  const parts: string[] = [];
  if (field.description) parts.push(field.description);
  const range = rangeOf(field);
  if (range) parts.push(range);
  if (field.control === 'json') parts.push(field.shape === 'array' ? 'a JSON list' : field.shape === 'object' ? 'a JSON object' : 'JSON');
  if ('default' in field && field.control !== 'checkbox') parts.push(`default ${showValue(field.default)}`);
  return parts.join(' · ');
}

function rangeOf(field: FormField): string | undefined {
  if (field.control === 'text') {
    const { minLength: low, maxLength: high } = field;
    if (low !== undefined && high !== undefined) return `${num(low)} to ${num(high)} characters`;
    if (low !== undefined) return `at least ${num(low)} character${low === 1 ? '' : 's'}`;
    return high !== undefined ? `at most ${num(high)} characters` : undefined;
  }
  const low = field.minimum !== undefined ? `≥ ${num(field.minimum)}` : field.exclusiveMinimum !== undefined ? `> ${num(field.exclusiveMinimum)}` : '';
  const high = field.maximum !== undefined ? `≤ ${num(field.maximum)}` : field.exclusiveMaximum !== undefined ? `< ${num(field.exclusiveMaximum)}` : '';
  if (field.minimum !== undefined && field.maximum !== undefined) return `${num(field.minimum)} to ${num(field.maximum)}`;
  return [low, high].filter(Boolean).join(', ') || undefined;
}

/** A choice or default as a person reads it: strings bare, everything else as JSON. */
export function showValue(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

function num(n: number): string {
  return n.toLocaleString('en');
}

function without(prop: JsonSchema, key: string): JsonSchema {
  const { [key]: _dropped, ...rest } = prop;
  return rest;
}

function objectOf(value: unknown): JsonSchema | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonSchema) : undefined;
}
