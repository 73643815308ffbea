// The demo's long job: `steps` progress events, `delayMs` apart, then a result.
import { z } from 'zod';
import { defineAction } from '../../define-action.js';

const fields = z.object({
  name: z.string().min(1).max(200).describe('a name for the task'),
  steps: z.number().int().min(1).max(10_000).default(5).describe('how many steps to run'),
  delayMs: z.number().int().min(0).max(60_000).default(200).describe('the pause before each step, in ms'),
});

// Piko's progress-tracker page sends `{ taskName }`: taken as `name` when no `name` is given.
// The manifest still shows `name` alone (a preprocess step publishes its inner schema).
// What a client may send, for typed clients: the fields, or Piko's `taskName` for `name`. The
// step itself takes anything (a request body is unchecked until here).
type Fields = z.input<typeof fields>;
type SentInput = Fields | (Omit<Fields, 'name'> & { taskName: string; name?: string });

const input = z.preprocess((value: SentInput) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const { taskName, ...rest } = value as Record<string, unknown>;
  return taskName !== undefined && rest.name === undefined ? { ...rest, name: taskName } : rest;
}, fields);

export default defineAction({
  description: 'Processes a task in steps, reporting progress after each one.',
  input,
  call: ({ name }) => ({ taskName: name, status: 'completed' }),
  async streamProgress({ name, steps, delayMs }, stream) {
    for (let step = 1; step <= steps; step++) {
      // Rejects when the client leaves (or the run is cancelled), so the job stops with it.
      await stream.sleep(delayMs);
      await stream.send('progress', {
        step,
        total: steps,
        percent: Math.round((step / steps) * 100),
        message: `Processing ${name}: step ${step} of ${steps}`,
      });
    }
    await stream.sendComplete({ status: 'done', taskName: name });
  },
});
