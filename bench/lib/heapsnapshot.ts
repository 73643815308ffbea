// Reads a V8 .heapsnapshot into "where do the bytes go": objects and their own (shallow)
// bytes, grouped by constructor or kind, so per-stream memory at fan-out can be split into
// sockets, responses, timers, closures, promises and strings.

import { readFileSync } from 'node:fs';

interface HeapSnapshot {
  snapshot: {
    meta: { node_fields: string[]; node_types: [string[], ...unknown[]]; edge_fields: string[]; edge_types: [string[], ...unknown[]] };
    node_count: number;
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface HeapGroup {
  /** `Constructor` for objects, `(kind)` for strings, code, closures' contexts, arrays... */
  name: string;
  count: number;
  bytes: number;
}

export interface HeapSummary {
  totalBytes: number;
  groups: HeapGroup[];
  /** For the groups asked about: what holds their objects (retainer's group and the edge's name). */
  retainers: Map<string, { via: string; count: number }[]>;
}

/** Objects by constructor; everything else by kind, since a string's "name" is its text. */
function groupName(snap: HeapSnapshot, types: string[], type: string, nameIndex: number): string {
  if (type === 'object') return snap.strings[nameIndex]!;
  if (type === 'closure') return '(closure)';
  if (type === 'native') return `(native) ${snap.strings[nameIndex]!.split(' ')[0]}`;
  return `(${type})`;
}

export function summarizeHeapSnapshot(path: string, retainersOf: string[] = []): HeapSummary {
  const snap = JSON.parse(readFileSync(path, 'utf8')) as HeapSnapshot;
  const { meta } = snap.snapshot;
  const types = meta.node_types[0];
  const stride = meta.node_fields.length;
  const TYPE = meta.node_fields.indexOf('type');
  const NAME = meta.node_fields.indexOf('name');
  const SIZE = meta.node_fields.indexOf('self_size');
  const EDGES = meta.node_fields.indexOf('edge_count');
  const edgeStride = meta.edge_fields.length;
  const EDGE_TYPE = meta.edge_fields.indexOf('type');
  const EDGE_NAME = meta.edge_fields.indexOf('name_or_index');
  const EDGE_TO = meta.edge_fields.indexOf('to_node');
  const edgeTypes = meta.edge_types[0];
  const groups = new Map<string, HeapGroup>();
  const nodeGroup: string[] = [];
  let totalBytes = 0;
  for (let i = 0; i < snap.nodes.length; i += stride) {
    const name = groupName(snap, types, types[snap.nodes[i + TYPE]!]!, snap.nodes[i + NAME]!);
    nodeGroup.push(name);
    const size = snap.nodes[i + SIZE]!;
    totalBytes += size;
    const g = groups.get(name) ?? { name, count: 0, bytes: 0 };
    g.count++;
    g.bytes += size;
    groups.set(name, g);
  }
  // Retainers: walk every edge once; an edge into a node of an asked-about group counts for
  // its source's group and the edge's name (a property, a closure's context slot...).
  const retainers = new Map<string, Map<string, number>>(retainersOf.map((g) => [g, new Map()]));
  if (retainers.size > 0) {
    let edge = 0;
    for (let n = 0; n < nodeGroup.length; n++) {
      const count = snap.nodes[n * stride + EDGES]!;
      for (let e = 0; e < count; e++, edge += edgeStride) {
        const target = nodeGroup[snap.edges[edge + EDGE_TO]! / stride]!;
        const into = retainers.get(target);
        if (!into) continue;
        const kind = edgeTypes[snap.edges[edge + EDGE_TYPE]!]!;
        if (kind === 'weak') continue;
        const label = kind === 'element' || kind === 'hidden' ? `[${kind}]` : snap.strings[snap.edges[edge + EDGE_NAME]!]!;
        const via = `${nodeGroup[n]}.${label}`;
        into.set(via, (into.get(via) ?? 0) + 1);
      }
    }
  }
  return {
    totalBytes,
    groups: [...groups.values()].sort((a, b) => b.bytes - a.bytes),
    retainers: new Map(
      [...retainers].map(([g, m]) => [
        g,
        [...m]
          .map(([via, count]) => ({ via, count }))
          .sort((a, b) => b.count - a.count),
      ]),
    ),
  };
}

/**
 * What `loaded` holds beyond `idle`, per stream: the groups that grew, largest first. Shallow
 * sizes only, so a Buffer's contents (outside the heap) show in RSS, not here.
 */
export function perStreamMarkdown(idle: HeapSummary, loaded: HeapSummary, streams: number, top = 20): string {
  const before = new Map(idle.groups.map((g) => [g.name, g]));
  const grown = loaded.groups
    .map((g) => ({ name: g.name, count: g.count - (before.get(g.name)?.count ?? 0), bytes: g.bytes - (before.get(g.name)?.bytes ?? 0) }))
    .filter((g) => g.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  const total = (loaded.totalBytes - idle.totalBytes) / streams;
  return [
    `JS heap (shallow sizes) grew by ${(total / 1024).toFixed(1)} KB per stream over ${streams.toLocaleString('en-US')} streams`,
    '',
    '| per stream | objects per stream | what |',
    '| ---: | ---: | --- |',
    ...grown.slice(0, top).map((g) => `| ${(g.bytes / streams).toFixed(0)} B | ${(g.count / streams).toFixed(2)} | \`${g.name}\` |`),
    ...[...loaded.retainers].flatMap(([name, held]) => {
      const before = new Map((idle.retainers.get(name) ?? []).map((r) => [r.via, r.count]));
      const grew = held
        .map((r) => ({ via: r.via, count: r.count - (before.get(r.via) ?? 0) }))
        .filter((r) => r.count / streams >= 0.5)
        .slice(0, 8);
      return grew.length ? ['', `\`${name}\` per stream, held by: ${grew.map((r) => `${r.via} ${(r.count / streams).toFixed(1)}`).join(', ')}`] : [];
    }),
  ].join('\n');
}
