// The manifest as `pkt run` and `pkt list` need it: null from a server that has none (Piko
// answers 404 there), and an action found by name the way the server finds it.

import type { Client } from '../../client/index.js';
import { ActionError, actionKey, type Manifest, type ManifestAction } from '../../protocol/index.js';

export async function loadManifest(client: Client): Promise<Manifest | null> {
  try {
    return await client.manifest();
  } catch (err) {
    // 404/405: no manifest on this server; anything else (401, unreachable) is the caller's.
    if (err instanceof ActionError && (err.status === 404 || err.status === 405)) return null;
    throw err;
  }
}

export function findAction(manifest: Manifest | null, name: string): ManifestAction | undefined {
  return manifest?.actions.find((a) => actionKey(a.name) === actionKey(name));
}
