// Input schemas: any Standard Schema library (zod 4, valibot, arktype, ...). The server
// validates through `~standard.validate` and publishes `~standard.jsonSchema` when the
// library offers it, so it depends on no schema library itself.

import type { FieldErrors, JsonSchema } from '../protocol/index.js';

type PathSegment = PropertyKey | { readonly key: PropertyKey };

export interface StandardIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PathSegment> | undefined;
}

export type StandardResult<T> = { readonly value: T; readonly issues?: undefined } | { readonly issues: ReadonlyArray<StandardIssue> };

/** The part of the Standard Schema (and Standard JSON Schema) interface pkt uses. */
export interface StandardSchema<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
    readonly jsonSchema?: { readonly input: (options: { target: string }) => Record<string, unknown> };
  };
}

export type InferOutput<S> = S extends StandardSchema<unknown, infer O> ? O : unknown;

export function isStandardSchema(value: unknown): value is StandardSchema {
  const std = (value as { '~standard'?: { validate?: unknown } } | null)?.['~standard'];
  return typeof std === 'object' && std !== null && typeof std.validate === 'function';
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

export async function validate<T>(schema: StandardSchema<unknown, T>, input: unknown): Promise<Validation<T>> {
  const result = await schema['~standard'].validate(input);
  if (!result.issues) return { ok: true, value: result.value };
  const errors: FieldErrors = {};
  for (const issue of result.issues) {
    const path = (issue.path ?? []).map((s) => String(typeof s === 'object' ? s.key : s)).join('.');
    (errors[path] ??= []).push(issue.message);
  }
  return { ok: false, errors };
}

/** The input's JSON Schema for the manifest; `{}` (anything) when the library has none. */
export function toJsonSchema(schema: StandardSchema | undefined): JsonSchema {
  const convert = schema?.['~standard'].jsonSchema;
  if (!convert) return {};
  try {
    const { $schema: _drop, ...rest } = convert.input({ target: 'draft-2020-12' });
    return rest;
  } catch {
    // Some types (transforms, custom checks) have no JSON Schema form: the manifest says
    // "any object" rather than failing the whole server.
    return { type: 'object' };
  }
}
