// pkt's own options of `pkt run`, for telling them apart from the action's field flags.
// Keep in step with the options in src/cli/commands/run.ts.

import type { KnownOptions } from './field-flags.js';

export const RUN_OPTIONS: KnownOptions = {
  input: 'value',
  url: 'value',
  token: 'value',
  'base-path': 'value',
  stream: 'boolean',
  json: 'boolean',
  quiet: 'boolean',
  q: 'boolean',
  timeout: 'value',
  detach: 'boolean',
  actions: 'value',
  help: 'boolean',
  h: 'boolean',
  version: 'boolean',
};
