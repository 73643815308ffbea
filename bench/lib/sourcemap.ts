// Maps a position in a built file (dist/, with its .map next to it) back to the source it came
// from. The CLI bundles its dependencies into dist chunks, so without this a profile would
// credit eventsource's or Ink's code to "pkt" and name a chunk instead of a file.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface SourceMap {
  sources: string[];
  mappings: string;
}

/** Per generated line: [generated column, source index, source line] triples, in column order. */
type Lines = [number, number, number][][];

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const cache = new Map<string, { lines: Lines; sources: string[] } | null>();

function decodeMappings(mappings: string): Lines {
  const lines: Lines = [];
  let source = 0;
  let sourceLine = 0;
  for (const line of mappings.split(';')) {
    const segments: [number, number, number][] = [];
    let column = 0;
    for (const segment of line.split(',')) {
      if (segment === '') continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0]!;
      if (fields.length > 3) {
        source += fields[1]!;
        sourceLine += fields[2]!;
        segments.push([column, source, sourceLine]);
      }
    }
    lines.push(segments);
  }
  return lines;
}

function load(file: string): { lines: Lines; sources: string[] } | null {
  if (cache.has(file)) return cache.get(file)!;
  const mapFile = `${file}.map`;
  let entry: { lines: Lines; sources: string[] } | null = null;
  if (existsSync(mapFile)) {
    const map = JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMap;
    entry = { lines: decodeMappings(map.mappings), sources: map.sources.map((s) => resolve(dirname(file), s)) };
  }
  cache.set(file, entry);
  return entry;
}

/** The source behind `url` at a 0-based line and column (absolute path, 0-based line), or null. */
export function originalSource(url: string, line: number, column: number): { path: string; line: number } | null {
  if (!url.startsWith('file://') || !url.includes('/dist/')) return null;
  const entry = load(fileURLToPath(url));
  const segments = entry?.lines[line];
  if (!entry || !segments || segments.length === 0) return null;
  // The last segment that starts at or before the column.
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid]![0] <= column) lo = mid;
    else hi = mid - 1;
  }
  const [, source, sourceLine] = segments[lo]!;
  const path = entry.sources[source];
  return path === undefined ? null : { path, line: sourceLine };
}
