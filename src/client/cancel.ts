// `DELETE {base}/runs/{id}`: cancels a run; its signal aborts on the server (PROTOCOL.md §2).

import { ActionError, runPath, type CancelResult } from '../protocol/index.js';
import type { ClientConfig } from './config.js';
import { errorFromResponse, readBody, unreachable } from './failures.js';

/** Resolves with the server's answer (`cancelled: false` for a run that had ended); rejects with 404 UNKNOWN_RUN for an unknown one. */
export async function cancelRun(config: ClientConfig, runId: string, signal?: AbortSignal): Promise<CancelResult> {
  const url = config.url(runPath(config.basePath, runId));
  let response: Response;
  try {
    response = await config.fetch(url, { method: 'DELETE', headers: { ...config.headers }, signal: signal ?? null });
  } catch (err) {
    throw unreachable(url, err);
  }
  if (!response.ok) throw await errorFromResponse(response, 'UNKNOWN_RUN');
  const body = (await readBody(response)) as Partial<CancelResult> | undefined;
  if (typeof body?.cancelled !== 'boolean') {
    throw new ActionError(502, 'INTERNAL', `${url} answered the cancel with something that is not pkt's answer`);
  }
  const result: CancelResult = { runId: typeof body.runId === 'string' ? body.runId : runId, cancelled: body.cancelled };
  if (typeof body.message === 'string') result.message = body.message;
  return result;
}
