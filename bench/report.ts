/**
 * Output: one JSON line per scenario as it finishes, a table at the end, and a results file with
 * the machine, the command and every figure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { CpuSplit } from './context.js';
import { REPO_ROOT } from './deployment.js';
import type { BenchOptions } from './options.js';
import { cpuModel } from './proc-stats.js';
import type { ConnectionsResult } from './scenarios/connections.js';
import type { DirectoryResult } from './scenarios/directory.js';
import type { HistoryResult } from './scenarios/history.js';
import type { LoginFloodResult } from './scenarios/login-flood.js';
import type { LoginResult } from './scenarios/login.js';
import type { MessagingResult } from './scenarios/messaging.js';
import type { RoomsResult } from './scenarios/rooms.js';
import type { SearchResult } from './scenarios/search.js';
import type { StormResult } from './scenarios/storm.js';

export type ScenarioResult =
  | MessagingResult
  | ConnectionsResult
  | StormResult
  | HistoryResult
  | RoomsResult
  | SearchResult
  | DirectoryResult
  | LoginResult
  | LoginFloodResult;

export interface Machine {
  nproc: number;
  cpuModel: string;
  memoryGB: number;
  node: string;
  platform: string;
}

export function machine(): Machine {
  return {
    nproc: availableParallelism(),
    cpuModel: cpuModel(),
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/**
 * The load generator's event-loop lag over a window, `p99 / max` ms, with `mark` when it lagged
 * (p99 above LOAD_GENERATOR_LAG_LIMIT_MS); '–' for results saved before it was recorded.
 */
export function lagCell(
  cpu: CpuSplit | undefined,
  mark: string,
  lagging = cpu?.loadGenerator.lagging,
): string {
  const lag = cpu?.loadGenerator.lagMs;
  if (!lag) return '–';
  return `${lag.p99} / ${lag.max}${lagging ? ` ${mark}` : ''}`;
}

const split = (cpu: CpuSplit) =>
  `srv ${cpu.server.cores} (sys ${Math.round((100 * cpu.server.systemS) / Math.max(1e-9, cpu.server.userS + cpu.server.systemS))}%)` +
  ` redis ${cpu.redis?.cores ?? '?'} gen ${cpu.loadGenerator.cores}` +
  ` lag(ms) ${lagCell(cpu, 'LAGGING')} other ${cpu.other.cores} load ${cpu.loadAverage1m}`;

function row(result: ScenarioResult): string[] {
  switch (result.scenario) {
    case 'general':
    case 'private': {
      const l = result.latencyMs;
      return [
        `${result.scenario} ${result.users}u${(result.tabs ?? 1) > 1 ? `×${result.tabs}` : ''}/${result.senders}s ×${result.instances}${result.batch === 'off' ? '' : ` batch ${result.batch}`}`,
        `${result.messagesPerS} msg/s, ${result.deliveriesPerS} dlv/s (offered ${result.offeredRate})`,
        `lost ${result.lost} dup ${result.duplicates} leak ${result.leaks} err ${Object.values(result.refused).reduce((a, b) => a + b, 0) + result.unacked}`,
        `p50 ${l.p50} p90 ${l.p90} p99 ${l.p99} max ${l.max} ms (gen lag p99 ${result.loadGeneratorLoopDelayMs?.p99 ?? '?'}${result.loadGeneratorLagging ? ', LAGGING' : ''})`,
        `${result.serverCpuUsPerMessage} µs/msg, ${result.serverCpuUsPerDelivery} µs/dlv` +
          (result.serverCpuUsPerDeliveryAboveIdle === undefined
            ? ''
            : ` (${result.serverCpuUsPerDeliveryAboveIdle} above idle ${result.serverIdleCores} cores)`),
        `${result.serverRssMB} MB`,
        split(result.cpu),
      ];
    }
    case 'connections': {
      const steps = result.steps
        .map((step) => `${step.connections}: ${step.rssKBPerConnection}`)
        .join(', ');
      return [
        `connections ${result.connections} ×${result.instances}` +
          (result.activity ? ` ${result.activity}/user/min` : ''),
        `${result.connectionsPerS} conn/s`,
        `opened ${result.opened} failed ${result.failed}`,
        '',
        `${result.serverCpuUsPerConnection} µs/conn`,
        `KB RSS/conn ${steps}`,
        split(result.cpu),
      ];
    }
    case 'storm':
      return [
        `storm ${result.mode} ${result.connections} ×${result.instances}`,
        `${result.reconnectsPerS} reconnects/s`,
        `back ${result.reconnected} failed ${result.failed} lost ${result.lost}`,
        `99 % ${result.back99Ms} ms, all ${result.back100Ms} ms`,
        `${result.serverCpuUsPerReconnect} µs/reconnect`,
        `peak ${result.serverRssPeakMB} MB (from ${result.serverRssBeforeMB})`,
        split(result.cpu),
      ];
    case 'history': {
      const l = result.latencyMs;
      return [
        `history ${result.roomMessages} msgs, page ${result.pageSize} ×${result.instances}`,
        `${result.requestsPerS} req/s (concurrency ${result.concurrency})`,
        `failed ${result.failed}`,
        `p50 ${l.p50} p90 ${l.p90} p99 ${l.p99} max ${l.max} ms`,
        `${result.serverCpuUsPerRequest} µs/req`,
        '',
        split(result.cpu),
      ];
    }
    case 'rooms':
      return [
        `rooms per user ${result.steps.map((step) => step.rooms).join('/')} ×${result.instances}`,
        `${result.requests} lists per step`,
        result.steps.map((step) => `${step.listed} listed`).join(', '),
        result.steps
          .map(
            (step) =>
              `list p50 ${step.listMs.p50} p99 ${step.listMs.p99}, connect p50 ${step.connectMs.p50} ms`,
          )
          .join('; '),
        result.steps.map((step) => `${step.serverCpuUsPerList} µs/list`).join(', '),
        result.steps
          .map(
            (step) =>
              `${step.heapKBPerSocket ?? '?'} KB heap (RSS ${step.rssKBPerSocket} KB)/socket`,
          )
          .join(', '),
        '',
      ];
    case 'search': {
      const q = result.queries;
      const ms = (name: keyof typeof q) =>
        `${name} ${q[name].latencyMs.p50}/${q[name].latencyMs.p99}`;
      return [
        `search ${result.roomMessages} msgs ×${result.instances}`,
        `index p50 ${result.index.latencyMs.p50} ms/msg (Redis ${result.index.redisCpuUsPerMessage ?? '?'} µs, ${result.index.bytesPerMessage ?? '?'} B)`,
        `failed ${result.failed}`,
        `p50/p99 ms: ${ms('common')}, ${ms('rare')}, ${ms('twoWords')}, ${ms('allRooms')}`,
        `${result.serverCpuUsPerRequest} µs/req`,
        '',
        split(result.cpu),
      ];
    }
    case 'directory': {
      const last = result.steps.at(-1);
      return [
        `directory ${result.steps.map((step) => step.rooms).join('/')} rooms ×${result.instances}`,
        `${result.requestsPerQuery} pages of ${result.pageSize} per query and step`,
        `failed ${result.steps.reduce((sum, step) => sum + step.failed, 0)}`,
        result.steps
          .map(
            (step) =>
              `${step.rooms}: p99 all ${step.queries.all.latencyMs.p99} common ${step.queries.common.latencyMs.p99} ` +
              `exact ${step.queries.exact.latencyMs.p99} pages ${step.queries.pages.latencyMs.p99}`,
          )
          .join('; ') + ' ms',
        result.steps.map((step) => `${step.serverCpuUsPerRequest} µs/req`).join(', '),
        '',
        last ? split(last.cpu) : '',
      ];
    }
    case 'login': {
      const l = result.latencyMs;
      return [
        `login ×${result.instances} (concurrency ${result.concurrency})`,
        `${result.loginsPerS} logins/s (bcrypt bound ≈ ${result.bcryptBoundPerS}/s)`,
        `failed ${result.failed}`,
        `p50 ${l.p50} p90 ${l.p90} p99 ${l.p99} max ${l.max} ms`,
        `${result.serverCpuMsPerLogin} ms/login (bcrypt ${result.bcryptMsPerHash} ms)`,
        '',
        split(result.cpu),
      ];
    }
    case 'login-flood': {
      const { idle, underFlood, flood } = result;
      return [
        `login-flood ${result.parallel} registrations in flight ×${result.instances}`,
        `${flood.registered} registered, ${flood.refused} refused in ${result.durationS} s`,
        `failed ${flood.failed}`,
        `GET / p50 ${idle.pageMs.p50} → ${underFlood.pageMs.p50} p99 ${idle.pageMs.p99} → ${underFlood.pageMs.p99} ms; ` +
          `sign-in p50 ${idle.signInMs.p50} → ${underFlood.signInMs.p50} p99 ${idle.signInMs.p99} → ${underFlood.signInMs.p99} ms`,
        '',
        '',
        split(result.cpu),
      ];
    }
  }
}

export function table(results: ScenarioResult[]): string {
  const header = [
    'scenario',
    'throughput',
    'correctness',
    'latency',
    'server CPU',
    'server RSS',
    'CPU split (cores)',
  ];
  const rows = [header, ...results.map(row)];
  const widths = header.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c] ?? 0))
      .join(' | ')
      .trimEnd();
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...rows.slice(1).map(line),
  ].join('\n');
}

export const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');

export function saveResults(
  options: BenchOptions,
  deployment: string,
  results: ScenarioResult[],
  argv: string[],
  dir = RESULTS_DIR,
): string | null {
  if (!options.label) return null;
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const file = join(dir, `${stamp}-${options.label}.json`);
  const { label: _label, ...settings } = options;
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        command: `npm run bench --${argv.length ? ` ${argv.join(' ')}` : ''}`,
        machine: machine(),
        // A shared machine's neighbours skew every figure: the 1, 5 and 15 min load at the end.
        loadAverage: loadavg().map((load) => Number(load.toFixed(2))),
        deployment,
        settings,
        results,
      },
      null,
      2,
    )}\n`,
  );
  return file;
}
