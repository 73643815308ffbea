// `DELETE {base}/runs/{id}`: cancels a run; its signal aborts on the server (PROTOCOL.md §2).

import { runPath } from '../protocol/index.js';
import type { ClientConfig } from './config.js';
import { errorFromResponse, unreachable } from './failures.js';

export async function cancelRun(config: ClientConfig, runId: string, signal?: AbortSignal): Promise<void> {
  const url = config.url(runPath(config.basePath, runId));
  let response: Response;
  try {
    response = await config.fetch(url, { method: 'DELETE', headers: { ...config.headers }, signal: signal ?? null });
  } catch (err) {
    throw unreachable(url, err);
  }
  if (!response.ok) throw await errorFromResponse(response);
  await response.body?.cancel();
}
