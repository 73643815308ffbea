// `--input JSON`, `--input @file.json`, `--input -` (stdin): the input object before any
// field flags are laid over it.

import { UsageError } from './usage-error.js';

export interface InputSources {
  readFile(path: string): Promise<string>;
  readStdin(): Promise<string>;
}

export async function readInputOption(value: string | undefined, sources: InputSources): Promise<Record<string, unknown>> {
  if (value === undefined) return {};
  let text: string;
  let from: string;
  if (value === '-') {
    text = await sources.readStdin();
    from = 'stdin';
  } else if (value.startsWith('@')) {
    const path = value.slice(1);
    if (!path) throw new UsageError('--input @ needs a file name, such as --input @input.json');
    try {
      text = await sources.readFile(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message;
      throw new UsageError(`cannot read the --input file ${path}: ${why}`);
    }
    from = path;
  } else {
    text = value;
    from = '--input';
  }
  // An empty body means {} on the wire too (PROTOCOL.md §2).
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${from} is not valid JSON (${(err as Error).message})`, [
      `write an object, such as --input '{"name":"foo"}', or use --<field> value flags`,
    ]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`${from} must be a JSON object, such as {"name":"foo"}, not ${Array.isArray(parsed) ? 'an array' : typeof parsed === 'object' ? 'null' : `a ${typeof parsed}`}`);
  }
  return parsed as Record<string, unknown>;
}

/** Reads all of a stream (stdin) as UTF-8. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
