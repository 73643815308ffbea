// From an action's JSON Schema (the manifest's `input`) to field flags: what each field is
// called and expects, turning `--steps 10` into the number 10, and telling a person what is
// wrong before anything is sent.

import { closestName, editDistance, type JsonSchema } from '../../protocol/index.js';
import type { RawFlag } from './field-flags.js';

export interface FieldInfo {
  name: string;
  /** What the value should be, as shown in help: string, integer, boolean, a|b, JSON, ... */
  kind: string;
  required: boolean;
  description?: string;
  default?: unknown;
  /** Allowed values, when the schema lists them. */
  choices?: unknown[];
  /** `1..10000`, `≤ 200 chars`: bounds worth knowing before a 422. */
  range?: string;
  schema: JsonSchema;
}

export function describeFields(schema: JsonSchema | undefined): FieldInfo[] {
  const properties = objectOf(schema?.properties);
  if (!properties) return [];
  const required = new Set(Array.isArray(schema?.required) ? (schema!.required as unknown[]).map(String) : []);
  return Object.entries(properties).map(([name, raw]) => {
    const prop = objectOf(raw) ?? {};
    const info: FieldInfo = { name, kind: kindOf(prop), required: required.has(name), schema: prop };
    if (typeof prop.description === 'string') info.description = prop.description;
    if ('default' in prop) info.default = prop.default;
    if (Array.isArray(prop.enum)) info.choices = prop.enum;
    const range = rangeOf(prop);
    if (range) info.range = range;
    return info;
  });
}

/** Lines for help and errors: `--steps <integer>  how many steps to run [default: 5] [1..10000]`. */
export function fieldLines(fields: FieldInfo[]): string[] {
  if (fields.length === 0) return ['(no declared fields: pass any --field value, or --input JSON)'];
  const heads = fields.map((f) => `--${f.name} <${f.kind}>`);
  const width = Math.min(32, Math.max(...heads.map((h) => h.length)));
  return fields.map((f, i) => {
    const notes = [
      f.description ?? '',
      f.required ? '[required]' : '',
      'default' in f ? `[default: ${JSON.stringify(f.default)}]` : '',
      f.range ? `[${f.range}]` : '',
    ].filter(Boolean);
    return `${heads[i]!.padEnd(width)}  ${notes.join(' ')}`.trimEnd();
  });
}

export interface BuiltInput {
  input: Record<string, unknown>;
  /** What is wrong, one line each, naming the flag. Empty when the input can be sent. */
  problems: string[];
  /** Flags that are no field but pkt's own options misspelt (`--jsno` for `--json`). */
  misspelt: Array<{ flag: string; option: string }>;
}

/**
 * Lays the field flags over the `--input` object, coercing each value to its field's type.
 * Without a schema (a Piko server has no manifest) each value is JSON where it parses, else
 * a string. Repeating a flag makes a list. A flag the declared fields do not know is checked
 * against `options` (pkt's own) before it is called an unknown field.
 */
export function buildInput(flags: RawFlag[], schema: JsonSchema | undefined, base: Record<string, unknown> = {}, options: readonly string[] = []): BuiltInput {
  const fields = describeFields(schema);
  const byName = new Map(fields.map((f) => [f.name, f]));
  const declared = fields.length > 0 && schema?.additionalProperties !== true;
  const input: Record<string, unknown> = { ...base };
  const problems: string[] = [];
  const misspelt: BuiltInput['misspelt'] = [];
  const repeated = new Map<string, unknown[]>();
  // Fields whose flag was given but refused: told once, not again as missing.
  const refused = new Set<string>();

  for (const flag of flags) {
    const field = byName.get(flag.name) ?? byName.get(camelCase(flag.name));
    if (!field && declared) {
      const names = fields.map((f) => f.name);
      const option = misspeltOption(flag.name, options, names);
      if (option !== undefined) {
        misspelt.push({ flag: flag.name, option });
        continue;
      }
      const guess = closestName(flag.name, names);
      problems.push(`unknown flag --${flag.name}${guess ? `; did you mean --${guess}?` : ''}`);
      continue;
    }
    const name = field?.name ?? flag.name;
    const result = field ? coerce(flag.value, field.schema, field.name) : { value: looseValue(flag.value) };
    if ('problem' in result) {
      problems.push(`--${name} ${result.problem}`);
      refused.add(name);
      continue;
    }
    const list = repeated.get(name) ?? [];
    list.push(result.value);
    repeated.set(name, list);
  }
  for (const [name, values] of repeated) {
    const field = byName.get(name);
    const isArray = field ? kindOf(field.schema).endsWith('[]') : false;
    if (isArray) {
      input[name] = values.flatMap((v) => (Array.isArray(v) ? v : [v]));
    } else if (values.length > 1 && field) {
      problems.push(`--${name} was given ${values.length} times; it takes one value`);
      input[name] = values.at(-1);
    } else {
      input[name] = values.length > 1 ? values : values[0];
    }
  }
  for (const field of fields) {
    if (field.required && input[field.name] === undefined && !refused.has(field.name)) {
      problems.push(field.kind.startsWith('file') ? `--file ${field.name}=@path is required` : `--${field.name} is required`);
    }
  }
  return { input, problems, misspelt };
}

type Coerced = { value: unknown } | { problem: string };

function coerce(value: string | boolean, schema: JsonSchema, name: string): Coerced {
  const kind = kindOf(schema);
  if (Array.isArray(schema.enum)) {
    const choice = schema.enum.find((c) => String(c) === String(value));
    if (choice === undefined) return { problem: `must be one of ${schema.enum.map((c) => JSON.stringify(c)).join(', ')}, not ${JSON.stringify(value)}` };
    return { value: choice };
  }
  if (kind === 'boolean') {
    if (typeof value === 'boolean') return { value };
    const v = value.toLowerCase();
    if (['true', 'yes', '1', 'on'].includes(v)) return { value: true };
    if (['false', 'no', '0', 'off'].includes(v)) return { value: false };
    return { problem: `is a boolean: give the flag alone for true, its --no- form for false, or write true/false, not ${JSON.stringify(value)}` };
  }
  if (kind === 'file') return { problem: `is a file: send it with --file ${name}=@path` };
  if (typeof value === 'boolean') return { problem: `needs a value (${kind})` };
  switch (kind) {
    case 'integer':
      return /^[-+]?\d+$/.test(value.trim()) ? { value: Number(value) } : { problem: `wants a whole number, not ${JSON.stringify(value)}` };
    case 'number': {
      const n = Number(value);
      return value.trim() !== '' && Number.isFinite(n) ? { value: n } : { problem: `wants a number, not ${JSON.stringify(value)}` };
    }
    case 'string':
      return { value };
    default: {
      if (kind.endsWith('[]')) {
        // One flag per item (`--tag a --tag b`), or a whole JSON list at once.
        const items = objectOf(schema.items) ?? {};
        if (value.trim().startsWith('[')) {
          const parsed = tryJson(value);
          if (Array.isArray(parsed)) return { value: parsed };
        }
        return coerce(value, items, name);
      }
      const parsed = tryJson(value);
      if (kind === 'object' && (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))) {
        return { problem: `wants a JSON object, such as '{"key":"value"}'` };
      }
      return { value: parsed === undefined ? value : parsed };
    }
  }
}

function looseValue(value: string | boolean): unknown {
  if (typeof value === 'boolean') return value;
  const parsed = tryJson(value);
  return parsed === undefined ? value : parsed;
}

function kindOf(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return schema.enum.map((c) => (typeof c === 'string' ? c : JSON.stringify(c))).join('|');
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  // How zod (and JSON Schema for uploads) writes a file: sent with --file, not as a value.
  if (type === 'string' && (schema.format === 'binary' || schema.contentEncoding === 'binary')) return 'file';
  if (type === 'array') {
    const items = objectOf(schema.items);
    return `${items ? kindOf(items) : 'JSON'}[]`;
  }
  if (typeof type === 'string' && ['string', 'integer', 'number', 'boolean', 'object'].includes(type)) return type;
  return 'JSON';
}

function rangeOf(schema: JsonSchema): string | undefined {
  // zod writes the safe-integer limits into every .int(): bounds nobody set, not worth a word.
  const min = unset(schema.minimum, -Number.MAX_SAFE_INTEGER) ?? schema.minLength;
  const max = unset(schema.maximum, Number.MAX_SAFE_INTEGER) ?? schema.maxLength;
  if (min === undefined && max === undefined) return undefined;
  const unit = schema.minLength !== undefined || schema.maxLength !== undefined ? ' chars' : '';
  if (min !== undefined && max !== undefined) return `${min}..${max}${unit}`;
  return min !== undefined ? `≥ ${min}${unit}` : `≤ ${max}${unit}`;
}

function unset(bound: unknown, limit: number): unknown {
  return typeof bound === 'number' && Math.abs(bound) >= Math.abs(limit) ? undefined : bound;
}

function objectOf(value: unknown): Record<string, JsonSchema> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, JsonSchema>) : undefined;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The option among `options` that `flag` misspells, if one is close enough to suggest and no
 * field is closer: `--jsno` is --json misspelt, but for an action with a field `tokens`,
 * `--tokns` is that field misspelt rather than --token.
 */
export function misspeltOption(flag: string, options: readonly string[], fields: readonly string[]): string | undefined {
  const option = closestName(flag, options);
  if (option === undefined) return undefined;
  const field = closestName(flag, fields);
  const away = (name: string) => editDistance(flag.toLowerCase(), name.toLowerCase());
  if (field !== undefined && away(field) < away(option)) return undefined;
  return option;
}
