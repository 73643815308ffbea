// `--file field=@path`: a file sent as one field of the input. The client sends an input that
// holds files as multipart/form-data (what Piko's client does, and what `pkt serve` and Piko's
// server both read), so here a file only has to become a File: its bytes, name and type.

import { readFile as readFileBytes } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { UsageError } from './usage-error.js';

export const FILE_FLAG_FORM = 'field=@path, such as --file doc=@report.pdf';

// The types a server is most likely to check; anything else goes as bytes, as curl -F sends it.
const TYPES: Record<string, string> = {
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.csv': 'text/csv',
  '.html': 'text/html',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
};

export function fileType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export interface FileFlag {
  field: string;
  path: string;
}

/** `doc=@report.pdf` (the `@` may be left out) as a field and a path. */
export function parseFileFlag(text: string): FileFlag {
  const eq = text.indexOf('=');
  const field = eq < 0 ? '' : text.slice(0, eq).replace(/^--/, '');
  const path = eq < 0 ? '' : text.slice(eq + 1).replace(/^@/, '');
  if (field === '' || path === '') {
    throw new UsageError(`--file ${JSON.stringify(text)} is not ${FILE_FLAG_FORM.replace(', such as', '; write it as in')}`);
  }
  return { field, path };
}

/**
 * The files of every --file, by field: one File, or a list when a field is given more than
 * once. Read before anything is sent, so a missing file is a usage error, not half a run.
 */
export async function readFileFlags(
  values: readonly string[],
  read: (path: string) => Promise<Uint8Array<ArrayBuffer>> = readFileBytes,
): Promise<Record<string, File | File[]>> {
  const files: Record<string, File | File[]> = {};
  for (const { field, path } of values.map(parseFileFlag)) {
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = await read(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message;
      throw new UsageError(`cannot read the --file ${field} file ${path}: ${why}`);
    }
    const file = new File([bytes], basename(path), { type: fileType(path) });
    const had = files[field];
    files[field] = had === undefined ? file : [...(Array.isArray(had) ? had : [had]), file];
  }
  return files;
}
