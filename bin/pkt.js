#!/usr/bin/env node
// Runs the built CLI: plain JavaScript, so start-up does not pay for a TypeScript loader.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('pkt: the CLI is not built yet. Run `npm install` (or `npm run build`) in the pkt folder.\n');
  process.exit(2);
}
await import(entry.href);
