/**
 * What every scenario gets: the options, the deployment, the agents, a pool of signed-in users,
 * and a meter that splits the CPU of a measurement window between the servers, Redis and the load
 * generator.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { monotonicUs } from './agent-protocol.js';
import type { AgentPool } from './agents.js';
import type { Deployment } from './deployment.js';
import { BENCH_PASSWORD, type BenchUser, inParallel, signIn } from './http.js';
import { LoopLagRecorder, worstLag } from './loop-lag.js';
import type { BatchMode, BenchOptions } from './options.js';
import { type CpuTimes, CpuMeter, cpuTotal, machineBusyS, rssBytes, sumCpu } from './proc-stats.js';
import { seedUsers } from './seed-users.js';

/**
 * A load generator whose event loop runs this late (p99, ms) is part of what it measures: its
 * latencies include its own queueing. Runs past it are marked lagging (tables, docs/curves.md).
 */
export const LOAD_GENERATOR_LAG_LIMIT_MS = 20;

/** Registrations in flight: each costs a bcrypt hash (cost 10) on the server's thread pool. */
const REGISTRATION_CONCURRENCY = 4;
/** Sign-ins in flight for seeded users (a cost-4 hash each: about a millisecond). */
const SEEDED_SIGN_IN_CONCURRENCY = 16;

export interface CpuSplit {
  /** Server processes: user and system seconds, and average cores busy over the window. */
  server: { userS: number; systemS: number; cores: number };
  redis: { s: number; cores: number } | null;
  /**
   * The bench process and its agents; `lagMs`, their worst event-loop delay over the window
   * (filled in once the scenario is over), and `lagging` when its p99 passes
   * LOAD_GENERATOR_LAG_LIMIT_MS.
   */
  loadGenerator: {
    s: number;
    cores: number;
    lagMs?: { p99: number; max: number };
    lagging?: boolean;
  };
  /** Everything else on the machine (other users' processes): a busy neighbour skews figures. */
  other: { s: number; cores: number };
  wallS: number;
  /**
   * The machine's 1-minute load average as the window ends: on a shared machine, how crowded
   * the cores were while the figures beside it were taken.
   */
  loadAverage1m: number;
}

export interface Window {
  stop(): CpuSplit & { serverCpuS: number };
}

/** A measurement window on the monotonic clock, which CPU profiles also use. */
export interface ProfileWindow {
  scenario: string;
  startUs: number;
  endUs: number;
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

export class BenchContext {
  /** Distinguishes this run's users and messages from any earlier run on the same Redis. */
  readonly runId = randomBytes(3).toString('hex');
  private readonly pool: BenchUser[] = [];
  /** Users written straight into Redis (seed-users.ts), apart: their hash is not cost 10. */
  private readonly seededPool: BenchUser[] = [];
  /** Every measurement window so far, to cut the servers' CPU profiles down to them. */
  readonly windows: ProfileWindow[] = [];
  /** This process's event-loop lag (the agents keep their own). */
  private readonly loopLag = new LoopLagRecorder().start();
  /** Windows closed since the last recordLoadGeneratorLag(), with the figures to complete. */
  private lagPending: { startUs: number; endUs: number; split: CpuSplit['loadGenerator'] }[] = [];

  constructor(
    readonly options: BenchOptions,
    readonly deployment: Deployment,
    readonly agents: AgentPool,
  ) {}

  /**
   * The first `count` bench users, registering the missing ones (spread over the instances).
   * `seeded`: users written straight into Redis with one cheap hash, then signed in — seconds
   * for thousands of users, for scenarios that do not measure sign-ins (needs the Redis URL; a
   * deployment given without --redis-url registers them as usual).
   */
  async users(count: number, { seeded = false } = {}): Promise<BenchUser[]> {
    const { redisUrl, redisCluster } = this.deployment;
    const fast = seeded && redisUrl !== null;
    const pool = fast ? this.seededPool : this.pool;
    const prefix = fast ? `s${this.runId}-` : `b${this.runId}-`;
    const missing = Array.from(
      { length: Math.max(0, count - pool.length) },
      (_, i) => pool.length + i,
    );
    if (missing.length > 0) {
      const started = performance.now();
      const { urls } = this.deployment;
      if (fast) {
        const names = missing.map((index) => `${prefix}${index}`);
        await seedUsers({ url: redisUrl, cluster: redisCluster }, names, BENCH_PASSWORD);
      }
      const added = await inParallel(
        missing,
        fast ? SEEDED_SIGN_IN_CONCURRENCY : REGISTRATION_CONCURRENCY,
        (index) => signIn(urls[index % urls.length] as string, `${prefix}${index}`, index),
      );
      pool.push(...added);
      const seconds = (performance.now() - started) / 1000;
      console.error(
        `bench: ${fast ? 'seeded and signed in' : 'registered'} ${added.length} users in ${seconds.toFixed(1)} s ` +
          `(${(added.length / seconds).toFixed(1)}/s)`,
      );
    }
    return pool.slice(0, count);
  }

  /** Starts measuring CPU of the servers, Redis and the load generator (agents + this process). */
  window(scenario: string): Window {
    const startUs = monotonicUs();
    const server = new CpuMeter(this.deployment.serverPids);
    const redisPids = this.deployment.redisPids;
    const redis = redisPids.length > 0 ? new CpuMeter(redisPids) : null;
    const loadGenerator = new CpuMeter([process.pid, ...this.agents.pids]);
    const machineBefore = machineBusyS();
    return {
      stop: () => {
        const endUs = monotonicUs();
        this.windows.push({ scenario, startUs, endUs });
        const s = server.read();
        const r = redis?.read() ?? null;
        const l = loadGenerator.read();
        const serverCpuS = cpuTotal(s.cpu);
        const generatorSplit: CpuSplit['loadGenerator'] = {
          s: round(cpuTotal(l.cpu), 2),
          cores: round(cpuTotal(l.cpu) / l.wallS, 2),
        };
        this.lagPending.push({ startUs, endUs, split: generatorSplit });
        const otherS = Math.max(
          0,
          machineBusyS() - machineBefore - serverCpuS - cpuTotal(l.cpu) - (r ? cpuTotal(r.cpu) : 0),
        );
        return {
          server: {
            userS: round(s.cpu.user, 2),
            systemS: round(s.cpu.system, 2),
            cores: round(serverCpuS / s.wallS, 2),
          },
          redis: r
            ? { s: round(cpuTotal(r.cpu), 2), cores: round(cpuTotal(r.cpu) / r.wallS, 2) }
            : null,
          loadGenerator: generatorSplit,
          other: { s: round(otherS, 2), cores: round(otherS / s.wallS, 2) },
          wallS: round(s.wallS, 2),
          loadAverage1m: round(loadavg()[0] ?? 0, 2),
          serverCpuS,
        };
      },
    };
  }

  /**
   * Completes the windows closed since the last call with the load generator's lag over each:
   * the worst of this process and every agent. The scenario's result holds those same objects
   * (cpu.loadGenerator), so every scenario reports it without doing anything.
   */
  async recordLoadGeneratorLag(): Promise<void> {
    const pending = this.lagPending;
    this.lagPending = [];
    for (const { startUs, endUs, split } of pending) {
      const lag = worstLag([
        this.loopLag.summary(startUs, endUs),
        ...(await this.agents.lag(startUs, endUs)),
      ]);
      if (!lag) continue;
      split.lagMs = lag;
      split.lagging = lag.p99 > LOAD_GENERATOR_LAG_LIMIT_MS;
    }
  }

  /** Stops this process's lag sampling. */
  close(): void {
    this.loopLag.stop();
  }

  /** Total RSS of the server processes in bytes (0 when their PIDs are unknown). */
  serverRss(): number {
    return this.deployment.serverPids.reduce((sum, pid) => sum + rssBytes(pid), 0);
  }

  /**
   * On a shared machine, waits (up to a limit) until other processes leave the cores alone, so
   * that a neighbour's test run does not pass for the chat's latency. Every window still reports
   * what the rest of the machine used (cpu.other).
   */
  async waitForQuietMachine(busyCoresLimit = 0.25): Promise<void> {
    const maxWaitMs = this.options.quietWaitS * 1000;
    if (maxWaitMs <= 0) return;
    const ours = [process.pid, ...this.agents.pids, ...this.deployment.serverPids];
    ours.push(...this.deployment.redisPids);
    const deadline = performance.now() + maxWaitMs;
    for (;;) {
      const machine0 = machineBusyS();
      const ours0 = cpuTotal(sumCpu(ours));
      await sleep(500);
      const others = machineBusyS() - machine0 - (cpuTotal(sumCpu(ours)) - ours0);
      if (others / 0.5 <= busyCoresLimit) return;
      if (performance.now() > deadline) {
        console.error(
          `bench: the machine stayed busy (${(others / 0.5).toFixed(2)} cores used by others); measuring anyway`,
        );
        return;
      }
    }
  }

  /** Lets presence writes and broadcasts that follow connecting settle before measuring. */
  async settle(ms = 1000): Promise<void> {
    await sleep(ms);
  }
}

export const roundTo = round;

/** Whether the socket with this key opts in to message batches. */
export const batchesFor = (mode: BatchMode, key: number) =>
  mode === 'on' || (mode === 'mixed' && key % 2 === 1);

export type { CpuTimes };
