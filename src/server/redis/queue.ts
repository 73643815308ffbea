// The queue between front ends and workers (BullMQ): one queue for every action; a job is a
// run to execute or a plain call to answer.

/** BullMQ's name for the queue; its keys are `{prefix}queue:*`. */
export const queueName = 'queue';

export interface JobData {
  kind: 'run' | 'call';
  /** The run id, or the call's id. */
  id: string;
  action: string;
  input: Record<string, unknown>;
  detached?: boolean;
  lastEventId?: string;
  /** Where the front end that waits hears that a worker took the run, or the call's answer. */
  channel: string;
}
