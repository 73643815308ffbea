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

/** What each value option wants, for the message when its value is missing. */
export const RUN_OPTION_HINTS: Record<string, string> = {
  input: `JSON, @file.json or - (stdin), such as --input '{"name":"foo"}'`,
  url: 'a server URL, such as --url http://127.0.0.1:7070',
  token: 'the bearer token, such as --token "$PKT_TOKEN"',
  'base-path': 'the path of the actions, such as --base-path /_piko/actions',
  timeout: 'a positive number of ms, such as --timeout 30000',
  actions: 'a folder of actions, such as --actions ./actions',
};
