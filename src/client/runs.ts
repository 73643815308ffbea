// Runs as resources (PROTOCOL.md §4a): the list, and one run's record.

import { ActionError, JSON_TYPE, runPath, runsPath, type RunFilter, type RunInfo, type RunList } from '../protocol/index.js';
import type { ClientConfig } from './config.js';
import { errorFromResponse, readBody, unreachable } from './failures.js';

/** `GET {base}/runs`: newest first, one page; `cursor` fetches the next. */
export async function listRuns(config: ClientConfig, filter: RunFilter = {}): Promise<RunList> {
  const query = new URLSearchParams();
  if (filter.state !== undefined) query.set('state', filter.state);
  if (filter.limit !== undefined) query.set('limit', String(filter.limit));
  if (filter.cursor !== undefined) query.set('cursor', filter.cursor);
  const search = query.size > 0 ? `?${query}` : '';
  const body = (await getJson(config, `${config.url(runsPath(config.basePath))}${search}`, 'NOT_FOUND')) as Partial<RunList> | null;
  if (!Array.isArray(body?.runs)) throw notPkt(config.url(runsPath(config.basePath)));
  return body.cursor === undefined ? { runs: body.runs } : { runs: body.runs, cursor: body.cursor };
}

/** `GET {base}/runs/{id}` as JSON: the run's record; rejects with 404 UNKNOWN_RUN. */
export async function getRun(config: ClientConfig, runId: string): Promise<RunInfo> {
  const url = config.url(runPath(config.basePath, runId));
  const body = (await getJson(config, url, 'UNKNOWN_RUN')) as Partial<RunInfo> | null;
  if (typeof body?.runId !== 'string' || typeof body.state !== 'string') throw notPkt(url);
  return body as RunInfo;
}

async function getJson(config: ClientConfig, url: string, notFound: string): Promise<unknown> {
  let response: Response;
  try {
    response = await config.fetch(url, { headers: { ...config.headers, Accept: JSON_TYPE } });
  } catch (err) {
    throw unreachable(url, err);
  }
  if (!response.ok) throw await errorFromResponse(response, notFound);
  return readBody(response);
}

function notPkt(url: string): ActionError {
  return new ActionError(502, 'INTERNAL', `${url} answered with something that is not pkt's list of runs (is it a pkt server?)`);
}
