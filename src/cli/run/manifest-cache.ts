// Manifests kept for a minute in the user's cache folder, for shell completion: a <TAB> should
// not start a server or wait on the network each time. $XDG_CACHE_HOME/pkt, else ~/.cache/pkt.

import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Manifest } from '../../protocol/index.js';

/** How long a cached manifest is used. */
export const MANIFEST_CACHE_MS = 60_000;

export function cacheDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(env.HOME || homedir(), '.cache');
  return join(base, 'pkt');
}

function cacheFile(env: NodeJS.ProcessEnv, key: string): string {
  return join(cacheDir(env), `manifest-${createHash('sha256').update(key).digest('hex').slice(0, 16)}.json`);
}

/** The manifest cached for `key` less than MANIFEST_CACHE_MS ago, or undefined. */
export async function cachedManifest(env: NodeJS.ProcessEnv, key: string, now = Date.now()): Promise<Manifest | null | undefined> {
  try {
    const entry = JSON.parse(await readFile(cacheFile(env, key), 'utf8')) as { key: string; at: number; manifest: Manifest | null };
    if (entry.key !== key || !(now - entry.at < MANIFEST_CACHE_MS && now >= entry.at)) return undefined;
    return entry.manifest;
  } catch {
    return undefined;
  }
}

/** Keeps `manifest` for `key`; a cache that cannot be written is no error, only slower. */
export async function cacheManifest(env: NodeJS.ProcessEnv, key: string, manifest: Manifest | null, now = Date.now()): Promise<void> {
  const file = cacheFile(env, key);
  try {
    await mkdir(cacheDir(env), { recursive: true });
    // Written aside, then renamed: a completion running at the same time reads all or nothing.
    const temp = `${file}.${process.pid}`;
    await writeFile(temp, JSON.stringify({ key, at: now, manifest }));
    await rename(temp, file);
  } catch {
    // A read-only home, a full disk: completion still works, from the server each time.
  }
}
