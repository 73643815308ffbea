// The manifest as `pkt run` and `pkt list` need it: null from a server that has none (Piko
// answers 404 there), and an action found by name the way the server finds it.

import type { Client } from '../../client/index.js';
import { ActionError, actionKey, closestName, isValidActionName, type Manifest, type ManifestAction } from '../../protocol/index.js';
import { UsageError } from './usage-error.js';

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

/**
 * The action named, from a server that lists its actions: refused before anything is sent
 * when it is not there, with the closest name, or else where the list is (`pkt list`, with
 * the --url it was given). A server without a list (Piko) is asked, and answers for itself.
 */
export function requireAction(manifest: Manifest | null, name: string, url: string | undefined): ManifestAction | undefined {
  const action = findAction(manifest, name);
  // A name that is no action name at all is the client's to refuse, in its own words.
  if (action || !manifest || !isValidActionName(name)) return action;
  const near = closestName(name, manifest.actions.map((a) => a.name));
  if (near) throw new UsageError(`no action named ${name}; did you mean ${near}?`);
  const list = url === undefined ? 'pkt list' : `pkt list --url ${url}`;
  throw new UsageError(`no action named ${name}; \`${list}\` shows the actions there are`);
}
