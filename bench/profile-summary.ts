/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile> [top] [fromUs toUs]`: what a server spent
 * its CPU on, from a profile written by `npm run bench -- --cpu-prof`. Prints self time by package
 * ("ours", "node" for Node's internals), then the heaviest functions by self time and by total
 * time. With a window (monotonic µs, the clock V8 stamps samples with), only samples inside it
 * count: the bench cuts each server's profile down to each scenario's measurement this way.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function owner(url: string, name: string): string {
  if (name === '(garbage collector)') return 'gc';
  if (name === '(idle)') return 'idle';
  if (name === '(program)') return 'program (native, outside JS)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules?.[1]) return modules[1];
  if (url.startsWith('node:') || url === '') return 'node';
  if (url.includes('/dist/') || url.includes('/src/')) return 'ours';
  return url;
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(dist|src)\//, '$1/');
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

export interface SampleWindow {
  fromUs: number;
  toUs: number;
}

export function summarize(profile: CpuProfile, top = 25, window?: SampleWindow): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const idleUs = [...selfUs].reduce(
    (sum, [id, us]) => (byId.get(id)?.callFrame.functionName === '(idle)' ? sum + us : sum),
    0,
  );
  const busyUs = totalUs - idleUs;
  const pct = (us: number) => `${((100 * us) / busyUs).toFixed(1).padStart(5)}%`;

  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') continue;
    const key = owner(node.callFrame.url, node.callFrame.functionName);
    byOwner.set(key, (byOwner.get(key) ?? 0) + us);
    byFunction.set(label(node), (byFunction.get(label(node)) ?? 0) + us);
  }

  // Total (inclusive) time per function, counting each function once per stack.
  const inclusive = new Map<string, number>();
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const node = byId.get(at);
      if (
        !node ||
        node.callFrame.functionName === '(idle)' ||
        node.callFrame.functionName === '(root)'
      )
        continue;
      const key = label(node);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }

  const list = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([key, us]) => `${pct(us)}  ${key}`)
      .join('\n');
  return [
    `busy ${(busyUs / 1e6).toFixed(2)} s of ${(totalUs / 1e6).toFixed(2)} s profiled (percentages of busy time)`,
    '\nself time by package:',
    list(byOwner, 15),
    `\nheaviest functions (self):`,
    list(byFunction, top),
    `\nheaviest functions (total):`,
    list(inclusive, top),
  ].join('\n');
}

export function summarizeFile(file: string, top = 25, window?: SampleWindow): string {
  return summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top, window);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, top, from, to] = process.argv.slice(2);
  if (!file) {
    console.error('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [top] [fromUs toUs]');
    process.exit(2);
  }
  const window = from && to ? { fromUs: Number(from), toUs: Number(to) } : undefined;
  console.log(summarizeFile(file, Number(top ?? 25), window));
}
