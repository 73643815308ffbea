// What a stress scenario hands back: figures, each with the target it is held to (if any),
// and notes. The harness prints them as one table and writes them to bench/stress.json.

export interface Figure {
  metric: string;
  value: number | string | null;
  unit?: string;
  /** The target in words ("0", "<= 35 s", "100/100"), and whether the value met it. */
  target?: string;
  met?: boolean;
}

export interface ScenarioResult {
  figures: Figure[];
  notes: string[];
}

export interface StressScenario {
  id: string;
  title: string;
  run(log: (message: string) => void): Promise<ScenarioResult>;
}

/** A figure with a target: `met` is computed here, so the table and the JSON agree. */
export function held(metric: string, value: number | string, unit: string, target: string, met: boolean): Figure {
  return { metric, value, unit, target, met };
}

export function info(metric: string, value: number | string | null, unit = ''): Figure {
  return { metric, value, unit };
}

export const MB = 1024 * 1024;

export function mb(bytes: number): number {
  return Math.round((bytes / MB) * 10) / 10;
}

/** Runs `count` tasks, at most `concurrency` at a time. */
export async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

export function tally(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]));
}

/** A seeded generator (mulberry32): the same seed gives the same fuzz, run after run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
