// What bench:profile asks of a bench server child on top of the bench's own questions: a heap
// snapshot with the streams open, and a CPU profile and an allocation profile of just the
// measured window (started and stopped through the inspector, so growing the streams and
// taking snapshots stay out of them). The allocation profile samples every allocation,
// including objects collected since: where the garbage comes from, not only what is kept.

import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { writeHeapSnapshot } from 'node:v8';

export type ProfilingRequest = { type: 'heapSnapshot'; path: string } | { type: 'cpuProfile'; action: 'start' } | { type: 'cpuProfile'; action: 'stop'; path: string };
export type ProfilingAnswer = { type: 'heapSnapshot'; error?: string } | { type: 'cpuProfile'; error?: string };

let session: Session | undefined;

export async function answerProfiling(m: ProfilingRequest): Promise<ProfilingAnswer> {
  try {
    if (m.type === 'heapSnapshot') {
      writeHeapSnapshot(m.path);
    } else if (m.action === 'start') {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      await session.post('HeapProfiler.enable');
      await session.post('HeapProfiler.startSampling', {
        samplingInterval: 16 * 1024,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      } as never);
    } else {
      if (!session) throw new Error('no CPU profile was started');
      const { profile } = await session.post('Profiler.stop');
      const { profile: allocations } = await session.post('HeapProfiler.stopSampling');
      session.disconnect();
      session = undefined;
      writeFileSync(m.path, JSON.stringify(profile));
      // Next to the CPU profile: window.cpuprofile -> window.heapprofile.
      writeFileSync(m.path.replace(/\.cpuprofile$/, '.heapprofile'), JSON.stringify(allocations));
    }
    return { type: m.type };
  } catch (err) {
    return { type: m.type, error: (err as Error).message };
  }
}
