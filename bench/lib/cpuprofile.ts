// Reads a V8 .cpuprofile (what `node --cpu-prof` writes) into the figures PROFILES.md cites:
// self time per function, and per place the code comes from (pkt, a dependency, Node itself,
// the garbage collector), so a claim like "the decoder is a third of the client" has a number.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { originalSource } from './sourcemap.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  origin: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  /** Wall time the profile covers, idle included. */
  totalMs: number;
  /** Time not idle: what the shares are of. */
  busyMs: number;
  functions: SelfTime[];
  origins: { origin: string; ms: number; share: number }[];
  /** Files whose code ran (about the modules loaded): all, and those under node_modules. */
  files: { total: number; nodeModules: number; packages: number };
}

/** Where a function's code lives: pkt's own build, a package, Node's internals, or V8. */
export function originOf(url: string, name: string): string {
  if (url === '') {
    if (name === '(garbage collector)') return 'GC';
    if (name === '(program)' || name === '(idle)' || name === '(root)') return name;
    return 'native (V8 builtins, C++)';
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node internals';
  if (/\/(dist|src)\//.test(url)) return 'pkt';
  if (/\/bench\//.test(url)) return 'bench harness';
  return 'other';
}

/**
 * Where a frame's code comes from: through the source map for built files (dist/ bundles
 * pkt's dependencies into its chunks), as is for everything else.
 */
function locate(f: CallFrame, name: string): { origin: string; where: string } {
  const source = originalSource(f.url, f.lineNumber, f.columnNumber);
  if (source) {
    const url = pathToFileURL(source.path).href;
    return { origin: originOf(url, name), where: shortWhere(url, source.line) };
  }
  return { origin: originOf(f.url, name), where: shortWhere(f.url, f.lineNumber) };
}

function shortWhere(url: string, line: number): string {
  if (url === '') return '';
  const path = url
    .replace(/^file:\/\//, '')
    .replace(/^.*node_modules\//, '')
    .replace(/^.*\/bench\/\.snapshot\//, '')
    .replace(/^.*\/(src|dist|bench)\//, '$1/');
  return `${path}:${line + 1}`;
}

export function summarizeCpuProfile(path: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  // A sample's time is the delta to the next sample (V8 records it on the next one).
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + dt);
  }
  const byFunction = new Map<string, { name: string; where: string; origin: string; us: number }>();
  const byOrigin = new Map<string, number>();
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const { callFrame: f } = byId.get(id)!;
    const name = f.functionName || '(anonymous)';
    const { origin, where } = locate(f, name);
    if (origin === '(idle)') {
      idleUs += us;
      continue;
    }
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + us);
    const key = `${name} ${f.url}:${f.lineNumber}:${f.columnNumber}`;
    const entry = byFunction.get(key) ?? { name, where, origin, us: 0 };
    entry.us += us;
    byFunction.set(key, entry);
  }
  // Files as the sources they were built from, so a bundled dependency counts as itself.
  const urls = new Set(
    profile.nodes
      .filter((n) => n.callFrame.url !== '' && !n.callFrame.url.startsWith('node:'))
      .map((n) => {
        const source = originalSource(n.callFrame.url, n.callFrame.lineNumber, n.callFrame.columnNumber);
        return source ? pathToFileURL(source.path).href : n.callFrame.url;
      }),
  );
  const inModules = [...urls].filter((u) => u.includes('/node_modules/'));
  const packages = new Set(inModules.map((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)![1]));
  const totalUs = profile.endTime - profile.startTime;
  const busyUs = Math.max(1, totalUs - idleUs);
  return {
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    functions: [...byFunction.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, origin: f.origin, ms: f.us / 1000, share: f.us / busyUs })),
    origins: [...byOrigin]
      .sort((a, b) => b[1] - a[1])
      .map(([origin, us]) => ({ origin, ms: us / 1000, share: us / busyUs })),
    files: { total: urls.size, nodeModules: inModules.length, packages: packages.size },
  };
}

/** The summary as Markdown, for PROFILES.md. */
export function cpuSummaryMarkdown(s: ProfileSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `busy ${s.busyMs.toFixed(0)} ms of ${s.totalMs.toFixed(0)} ms profiled`,
    '',
    '| self time | share | function | where | from |',
    '| ---: | ---: | --- | --- | --- |',
    ...s.functions.map((f) => `| ${f.ms.toFixed(0)} ms | ${pct(f.share)} | \`${f.name}\` | ${f.where} | ${f.origin} |`),
    '',
    'by origin: ' + s.origins.map((o) => `${o.origin} ${pct(o.share)}`).join(', '),
    '',
    `${s.files.total} files seen in the profile (a lower bound on the modules loaded), ${s.files.nodeModules} of them in node_modules (${s.files.packages} packages)`,
  ];
  return lines.join('\n');
}

interface HeapProfileNode {
  callFrame: CallFrame;
  selfSize: number;
  children: HeapProfileNode[];
}

/**
 * Bytes allocated per function from a sampling heap profile (.heapprofile) taken with
 * collected objects included: the allocation sites, as Markdown.
 */
export function allocationsMarkdown(path: string, divideBy: { count: number; what: string }, top = 12): string {
  const { head } = JSON.parse(readFileSync(path, 'utf8')) as { head: HeapProfileNode };
  const byFunction = new Map<string, { name: string; where: string; origin: string; bytes: number }>();
  let total = 0;
  const walk = (node: HeapProfileNode) => {
    const f = node.callFrame;
    if (node.selfSize > 0) {
      const name = f.functionName || '(anonymous)';
      const key = `${name} ${f.url}:${f.lineNumber}:${f.columnNumber}`;
      const entry = byFunction.get(key) ?? { name, ...locate(f, name), bytes: 0 };
      entry.bytes += node.selfSize;
      total += node.selfSize;
      byFunction.set(key, entry);
    }
    for (const child of node.children) walk(child);
  };
  walk(head);
  const per = (bytes: number) => `${(bytes / divideBy.count).toFixed(0)} B`;
  return [
    `allocated ${(total / 2 ** 20).toFixed(0)} MB in all (sampled), ${per(total)} per ${divideBy.what}`,
    '',
    `| per ${divideBy.what} | share | allocated in | where | from |`,
    '| ---: | ---: | --- | --- | --- |',
    ...[...byFunction.values()]
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, top)
      .map((f) => `| ${per(f.bytes)} | ${((f.bytes / total) * 100).toFixed(1)}% | \`${f.name}\` | ${f.where} | ${f.origin} |`),
  ].join('\n');
}
