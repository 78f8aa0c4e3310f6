/**
 * `npx tsx bench/results-table.ts bench/results/*.json`: the saved runs as Markdown tables, one
 * row per scenario result, for docs/performance.md.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CpuSplit } from './context.js';
import { type ScenarioResult, lagCell } from './report.js';

interface SavedRun {
  command: string;
  deployment: string;
  results: ScenarioResult[];
}

const cores = (value: number | undefined) => (value === undefined ? '?' : value.toFixed(2));

/** Two cells: the cores each part used, and the load generator's lag (marked when it lagged). */
function cpuSplit(result: { cpu: CpuSplit }): string[] {
  const { server, redis, loadGenerator, other } = result.cpu;
  return [
    `${cores(server.cores)} / ${cores(redis?.cores)} / ${cores(loadGenerator.cores)} / ${cores(other.cores)}`,
    lagCell(result.cpu, '**lagging**'),
  ];
}

const label = (file: string) => basename(file, '.json').replace(/^\d{4}-[\dT-]+?-(?=[a-z])/, '');

function messagingRow(
  file: string,
  r: Extract<ScenarioResult, { scenario: 'general' | 'private' }>,
) {
  const errors = Object.values(r.refused).reduce((a, b) => a + b, 0) + r.unacked;
  return [
    label(file),
    `${r.scenario}${r.batch === 'off' ? '' : ` (batch ${r.batch})`}`,
    String(r.instances),
    `${r.users} / ${r.senders}`,
    `${r.messagesPerS}`,
    `${Math.round(r.deliveriesPerS)}`,
    `${r.lost} / ${r.duplicates} / ${r.leaks} / ${errors}`,
    `${r.latencyMs.p50} / ${r.latencyMs.p90} / ${r.latencyMs.p99} / ${r.latencyMs.max}`,
    `${r.ackLatencyMs.p50} / ${r.ackLatencyMs.p99}`,
    // Older results have only the agents' lag while sending.
    r.cpu.loadGenerator.lagMs || !r.loadGeneratorLoopDelayMs
      ? lagCell(r.cpu, '**lagging**', r.cpu.loadGenerator.lagging || r.loadGeneratorLagging)
      : `${r.loadGeneratorLoopDelayMs.p99} / ${r.loadGeneratorLoopDelayMs.max}${r.loadGeneratorLagging ? ' **lagging**' : ''}`,
    `${r.serverCpuUsPerMessage}`,
    `${r.serverCpuUsPerDelivery}`,
    `${r.serverRssMB}`,
    cpuSplit(r)[0] as string,
  ];
}

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

const messaging: string[][] = [];
const others: string[][] = [];
for (const file of process.argv.slice(2)) {
  const run = JSON.parse(readFileSync(file, 'utf8')) as SavedRun;
  for (const r of run.results) {
    switch (r.scenario) {
      case 'general':
      case 'private':
        messaging.push(messagingRow(file, r));
        break;
      case 'connections':
        // Results before the steps had one step, at the top level.
        for (const step of r.steps ?? [r]) {
          others.push([
            label(file),
            `connections ×${r.instances}${r.activity ? `, ${r.activity} msg/user/min` : ''}`,
            `${step.connections} open, ${step.failed} failed, ${step.connectionsPerS}/s`,
            `RSS ${step.rssKBPerConnection} KB/connection` +
              ('heapKBPerConnection' in step && step.heapKBPerConnection !== null
                ? `, heap ${step.heapKBPerConnection} + external ${step.externalKBPerConnection} KB after GC`
                : ''),
            `${step.serverCpuUsPerConnection} µs/connection` +
              ('serverCpuUsPerConnectionPerS' in step
                ? `, ${step.serverCpuUsPerConnectionPerS} µs/connection/s held`
                : ''),
            ...cpuSplit(step),
          ]);
        }
        break;
      case 'storm':
        others.push([
          label(file),
          `storm ${r.mode ?? 'drop'} ×${r.instances}`,
          `${r.connections} cut at once, ${r.reconnected} back` +
            (r.back99Ms !== undefined ? ` (99 % in ${r.back99Ms} ms, 100 %` : ' (all') +
            ` in ${r.allBackMs} ms), ${r.failed} failed` +
            (r.lost !== undefined ? `, lost ${r.lost}` : ''),
          `RSS ${r.serverRssBeforeMB} → peak ${r.serverRssPeakMB} MB` +
            (r.presenceFrames !== undefined
              ? `; presence ${r.presenceFramesPerReconnect} frames/reconnect`
              : ''),
          `${r.serverCpuUsPerReconnect} µs/reconnect`,
          ...cpuSplit(r),
        ]);
        break;
      case 'history':
        others.push([
          label(file),
          `history ×${r.instances}`,
          `${r.requests} pages of ${r.pageSize} from ${r.roomMessages}, ${r.requestsPerS}/s, ${r.failed} failed`,
          `p50 ${r.latencyMs.p50} / p90 ${r.latencyMs.p90} / p99 ${r.latencyMs.p99} / max ${r.latencyMs.max} ms`,
          `${r.serverCpuUsPerRequest} µs/request`,
          ...cpuSplit(r),
        ]);
        break;
      case 'rooms':
        for (const step of r.steps) {
          others.push([
            label(file),
            `rooms per user ×${r.instances}`,
            `${step.rooms} rooms: ${r.requests} GET /rooms/:userId (${step.listBytes} bytes), ${step.sockets} sockets`,
            `list p50 ${step.listMs.p50} / p99 ${step.listMs.p99} ms; connect p50 ${step.connectMs.p50} / p99 ${step.connectMs.p99} ms; ${step.heapKBPerSocket ?? '?'} KB heap (RSS ${step.rssKBPerSocket} KB)/socket`,
            `${step.serverCpuUsPerList} µs/list`,
            ...cpuSplit(step),
          ]);
        }
        break;
      case 'search':
        others.push([
          label(file),
          `search ×${r.instances}`,
          `${r.roomMessages} messages indexed; one write p50 ${r.index.latencyMs.p50} ms, ` +
            `Redis ${r.index.redisCpuUsPerMessage ?? '?'} µs/message, ${r.index.bytesPerMessage ?? '?'} B/message`,
          Object.entries(r.queries)
            .map(([name, q]) => `${name} p50 ${q.latencyMs.p50} / p99 ${q.latencyMs.p99} ms`)
            .join('; '),
          `${r.serverCpuUsPerRequest} µs/request`,
          ...cpuSplit(r),
        ]);
        break;
      case 'directory':
        for (const step of r.steps) {
          others.push([
            label(file),
            `directory ×${r.instances}`,
            `${step.rooms} public rooms (${step.indexed} indexed): ${r.requestsPerQuery} pages of ${r.pageSize} per query`,
            Object.entries(step.queries)
              .map(([name, q]) => `${name} p50 ${q.latencyMs.p50} / p99 ${q.latencyMs.p99} ms`)
              .join('; '),
            `${step.serverCpuUsPerRequest} µs/request`,
            ...cpuSplit(step),
          ]);
        }
        break;
      case 'login':
        others.push([
          label(file),
          `login ×${r.instances}`,
          `${r.logins} logins, ${r.loginsPerS}/s (bcrypt bound ${r.bcryptBoundPerS}/s), ${r.failed} failed`,
          `p50 ${r.latencyMs.p50} / p99 ${r.latencyMs.p99} ms`,
          `${r.serverCpuMsPerLogin} ms/login (one bcrypt: ${r.bcryptMsPerHash} ms)`,
          ...cpuSplit(r),
        ]);
        break;
      case 'login-flood':
        others.push([
          label(file),
          `login-flood ×${r.instances}`,
          `${r.parallel} registrations in flight for ${r.durationS} s: ${r.flood.registered} registered, ${r.flood.refused} refused, ${r.flood.failed} failed`,
          `GET / p50 ${r.idle.pageMs.p50} → ${r.underFlood.pageMs.p50} ms; sign-in p50 ${r.idle.signInMs.p50} → ${r.underFlood.signInMs.p50} ms (idle → flood)`,
          '–',
          ...cpuSplit(r),
        ]);
        break;
    }
  }
}

console.log(
  table(
    [
      'run',
      'scenario',
      'inst.',
      'users / senders',
      'msg/s',
      'deliveries/s',
      'lost / dup / leaks / errors',
      'latency p50 / p90 / p99 / max (ms)',
      'ack p50 / p99 (ms)',
      'load gen lag p99 / max (ms)',
      'server µs/msg',
      'server µs/delivery',
      'server RSS (MB)',
      'cores: server / redis / load gen / other',
    ],
    messaging,
  ),
);
console.log();
console.log(
  table(
    [
      'run',
      'scenario',
      'work',
      'result',
      'server CPU',
      'cores: server / redis / load gen / other',
      'load gen lag p99 / max (ms)',
    ],
    others,
  ),
);
