// The actions every pkt server has, named as if loaded from this folder.
import type { Action } from '../define-action.js';
import fail from './demo/fail.js';
import firehose from './demo/firehose.js';
import process from './task/process.js';

export const bundledActions: Record<string, Action> = {
  'task.process': process as Action,
  'demo.firehose': firehose as Action,
  'demo.fail': fail as Action,
};
