// The events every server in the bench sends, so the figures compare servers and not
// payloads. The progress payload is demo.firehose's (src/server/actions/demo/firehose.ts):
// about 50 bytes of JSON.

export interface ProgressPayload {
  step: number;
  total: number;
  message: string;
}

export function progressPayload(step: number, total: number): ProgressPayload {
  return { step, total, message: `event ${step}` };
}

/** The fan-out event: `sentAt` is a wall-clock time in ms, with fractions, taken just before sending. */
export interface TickPayload {
  seq: number;
  sentAt: number;
}

/** Wall-clock ms with sub-ms resolution, comparable across processes on one machine. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * When a fan-out stream ticks: at `phaseMs` past each wall-clock `intervalMs`, the first tick
 * after now, then every interval. The fan-out client gives each stream its own phase, spread
 * evenly over the interval; without that, a stream's ticks fall wherever its connection
 * happened to open, and a server that accepts connections faster would bunch its streams'
 * ticks together and be judged on a worse p99 for it. Each call returns the wait until the
 * next tick; timers that fire late do not drift the schedule.
 */
export function tickClock(phaseMs: number, intervalMs: number): () => number {
  const now = wallNow();
  let next = Math.floor((now - phaseMs) / intervalMs) * intervalMs + phaseMs + intervalMs;
  return () => {
    const wait = Math.max(0, next - wallNow());
    next += intervalMs;
    return wait;
  };
}

/** The tick inputs every server reads: `{seconds, intervalMs, phaseMs}`, bounded. */
export function tickInput(input: Record<string, unknown>): { n: number; intervalMs: number; phaseMs: number } {
  const seconds = intInput(input, 'seconds', 20, MAX_TICK_SECONDS);
  const intervalMs = Math.max(1, intInput(input, 'intervalMs', 1000, 60_000));
  return { n: Math.floor((seconds * 1000) / intervalMs), intervalMs, phaseMs: intInput(input, 'phaseMs', 0, intervalMs - 1) };
}

/** One SSE block as pkt frames it (PROTOCOL.md §3): id, event, one data line. */
export function frame(id: number, event: string, data: unknown): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Reads the JSON body of a request, bounded, since every bench server takes one small input. */
export async function readJsonBody(req: AsyncIterable<Buffer | string>): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) {
    text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (text.length > 64 * 1024) throw new Error('bench request body over 64 KiB');
  }
  if (text.trim() === '') return {};
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

export function intInput(input: Record<string, unknown>, key: string, fallback: number, max: number): number {
  const v = input[key];
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? Math.min(v, max) : fallback;
}

/** Limits on what a bench server will do for one request: every load loop is bounded. */
export const MAX_FIREHOSE_COUNT = 2_000_000;
export const MAX_TICK_SECONDS = 600;
