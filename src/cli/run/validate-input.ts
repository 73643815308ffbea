// The input checked against the action's JSON Schema (from the manifest) before it is sent,
// so `--steps 0` is a usage error naming the flag, with no round trip and in pkt's words:
// `--steps must be ≥ 1`, not the server's `steps: Too small: expected number to be >=1`.
//
// Ajv does the checking. It is loaded here, on use, and only for an action whose schema says
// something: `pkt run` without a manifest (a Piko server) never pays for it.

import type { JsonSchema } from '../../protocol/index.js';

/** What is wrong with `input`, one line per problem, naming the flag; empty when it is fine. */
export async function schemaProblems(schema: JsonSchema | undefined, given: Record<string, unknown>): Promise<string[]> {
  if (!schema || Object.keys(schema).length === 0) return [];
  const { schema: checked, input } = withoutFiles(schema, given);
  const ajvModule = await import('ajv/dist/2020.js');
  // A CommonJS module: its exports object is `default` under Node and under the bundle alike.
  const { Ajv2020 } = ajvModule.default as unknown as typeof ajvModule;
  // Formats (email, uri, ...) are the server's to judge: Ajv would only warn about them. The
  // schema itself is not checked against the JSON Schema meta-schema: compiling that took
  // longer than all the rest of this (50-100 ms of every `pkt run`), and a schema Ajv cannot
  // read still throws below.
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false, logger: false, validateSchema: false });
  let validate;
  try {
    validate = ajv.compile(checked);
  } catch {
    // A schema Ajv cannot read (another draft, a broken $ref): the server still checks.
    return [];
  }
  if (validate(input)) return [];
  const problems = (validate.errors ?? []).flatMap((e): string[] => {
    const text = problemText(e.keyword, e.instancePath, e.params as Record<string, unknown>, e.message);
    return text === undefined ? [] : [text];
  });
  return [...new Set(problems)];
}

/**
 * The schema and input less their files (--file): JSON Schema can only say a file is a binary
 * string, which a File is not. Whether it is the right file is the server's to judge.
 */
function withoutFiles(schema: JsonSchema, input: Record<string, unknown>): { schema: JsonSchema; input: Record<string, unknown> } {
  const isFile = (v: unknown) => v instanceof Blob || (Array.isArray(v) && v.length > 0 && v.every((item) => item instanceof Blob));
  const files = Object.keys(input).filter((key) => isFile(input[key]));
  if (files.length === 0) return { schema, input };
  const properties = { ...(schema.properties as Record<string, unknown> | undefined) };
  for (const key of files) delete properties[key];
  const required = Array.isArray(schema.required) ? schema.required.filter((key) => !files.includes(String(key))) : undefined;
  const rest = Object.fromEntries(Object.entries(input).filter(([key]) => !files.includes(key)));
  return { schema: { ...schema, properties, ...(required ? { required } : {}) }, input: rest };
}

/**
 * One problem in pkt's words. `required` and unknown fields are told before this runs
 * (schema-flags.ts), so they are left out here; so are the branches of anyOf/oneOf, whose own
 * errors say more.
 */
export function problemText(keyword: string, instancePath: string, params: Record<string, unknown>, message = 'is not valid'): string | undefined {
  if (keyword === 'required' || keyword === 'additionalProperties' || keyword === 'anyOf' || keyword === 'oneOf' || keyword === 'if') return undefined;
  const [field = '', ...rest] = instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const flag = field === '' ? 'the input' : `--${field}${rest.length > 0 ? ` (at ${rest.join('.')})` : ''}`;
  const limit = params.limit;
  switch (keyword) {
    case 'minimum':
      return `${flag} must be ≥ ${limit}`;
    case 'maximum':
      return `${flag} must be ≤ ${limit}`;
    case 'exclusiveMinimum':
      return `${flag} must be > ${limit}`;
    case 'exclusiveMaximum':
      return `${flag} must be < ${limit}`;
    case 'minLength':
      return `${flag} must be at least ${limit} character${limit === 1 ? '' : 's'} long`;
    case 'maxLength':
      return `${flag} must be at most ${limit} character${limit === 1 ? '' : 's'} long`;
    case 'minItems':
      return `${flag} needs at least ${limit} value${limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `${flag} takes at most ${limit} value${limit === 1 ? '' : 's'}`;
    case 'type':
      return `${flag} must be ${article(String(params.type))}`;
    case 'enum':
      return `${flag} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `${flag} must be ${JSON.stringify(params.allowedValue)}`;
    case 'pattern':
      return `${flag} must match ${params.pattern}`;
    case 'multipleOf':
      return `${flag} must be a multiple of ${params.multipleOf}`;
    default:
      return `${flag} ${message}`;
  }
}

function article(type: string): string {
  const kinds = type.split(',').map((t) => (t === 'integer' ? 'whole number' : t));
  const named = kinds.map((k) => `${/^[aeiou]/.test(k) ? 'an' : 'a'} ${k}`);
  return named.join(' or ');
}
