// The files of dist/web, read on demand and kept in memory with their content hash. An entry is
// read again when the file's size or mtime changes, so a rebuild shows up without a restart.
//
// Reads are synchronous on purpose: serveWeb has to say at once whether it takes a request, the
// files are a few kilobytes, and after the first read a request costs one lstat.
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { contentTypeFor } from './content-types.js';

/** A plain file name: no separators, no leading dot (so no `.`, `..` or dotfiles). */
export const SAFE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Longer names are no file of ours, and the file system refuses them (ENAMETOOLONG). */
const MAX_FILE_NAME = 255;

export interface WebFile {
  name: string;
  body: Buffer;
  /** Content hash, base64url, short enough for a URL. */
  hash: string;
  contentType: string;
}

interface CacheEntry {
  mtimeMs: number;
  size: number;
  file: WebFile;
}

export class WebFiles {
  readonly #cache = new Map<string, CacheEntry>();

  constructor(readonly dir: string) {}

  /** The file called `name` directly inside the folder, or undefined. Never follows a symlink. */
  get(name: string): WebFile | undefined {
    if (name.length > MAX_FILE_NAME || !SAFE_FILE_NAME.test(name)) return undefined;
    const path = join(this.dir, name);
    // lstat, not stat: a symlink in dist/web could point anywhere on the machine.
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (!stat?.isFile()) {
      this.#cache.delete(name);
      return undefined;
    }
    const cached = this.#cache.get(name);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.file;
    const body = readFileSync(path);
    const file: WebFile = { name, body, hash: hashOf(body), contentType: contentTypeFor(name) };
    this.#cache.set(name, { mtimeMs: stat.mtimeMs, size: stat.size, file });
    return file;
  }

  /** True when the folder exists at all (the difference between "not built" and "no such file"). */
  exists(): boolean {
    return statSync(this.dir, { throwIfNoEntry: false })?.isDirectory() ?? false;
  }
}

export function hashOf(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('base64url').slice(0, 16);
}
