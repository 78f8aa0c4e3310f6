/**
 * Sign-ins of existing users. Each one verifies a bcrypt hash of cost 10 on the server's libuv
 * thread pool, which bounds the rate at about (cores / one hash's time) whatever the rest of the
 * code does; the bench times one hash here to state that bound next to the measured rate.
 */
import { availableParallelism } from 'node:os';
import bcrypt from 'bcrypt';
import { type BenchContext, type CpuSplit, roundTo } from '../context.js';
import { Histogram, type LatencySummary } from '../histogram.js';
import { BENCH_PASSWORD, inParallel, request } from '../http.js';

const BCRYPT_COST = 10;
const BCRYPT_SAMPLES = 5;

export interface LoginResult {
  scenario: 'login';
  instances: number;
  logins: number;
  concurrency: number;
  failed: number;
  loginsPerS: number;
  latencyMs: LatencySummary;
  serverCpuMsPerLogin: number;
  /** One bcrypt verification (cost 10) on this machine, and the rate that allows on its cores. */
  bcryptMsPerHash: number;
  bcryptBoundPerS: number;
  cpu: CpuSplit;
}

async function timeBcrypt(): Promise<number> {
  const hash = await bcrypt.hash(BENCH_PASSWORD, BCRYPT_COST);
  const started = performance.now();
  for (let i = 0; i < BCRYPT_SAMPLES; i++) await bcrypt.compare(BENCH_PASSWORD, hash);
  return (performance.now() - started) / BCRYPT_SAMPLES;
}

export async function runLogin(ctx: BenchContext): Promise<LoginResult> {
  const params = ctx.options.login;
  const users = await ctx.users(Math.max(2, params.concurrency));
  const bcryptMs = await timeBcrypt();

  const latency = new Histogram();
  let failed = 0;
  await ctx.waitForQuietMachine();
  const window = ctx.window('login');
  const started = performance.now();
  await inParallel(
    Array.from({ length: params.logins }, (_, i) => users[i % users.length]!),
    params.concurrency,
    async (user) => {
      const t0 = performance.now();
      const answer = await request('POST', `${user.url}/login`, {
        body: { username: user.username, password: BENCH_PASSWORD },
      });
      latency.record((performance.now() - t0) * 1000);
      if (answer.status !== 200) failed++;
    },
  );
  const elapsedS = (performance.now() - started) / 1000;
  const { serverCpuS, ...cpu } = window.stop();
  const cores = availableParallelism();

  return {
    scenario: 'login',
    instances: ctx.deployment.urls.length,
    logins: params.logins,
    concurrency: params.concurrency,
    failed,
    loginsPerS: roundTo(params.logins / elapsedS, 1),
    latencyMs: latency.summaryMs(),
    serverCpuMsPerLogin: roundTo((serverCpuS * 1000) / params.logins, 2),
    bcryptMsPerHash: roundTo(bcryptMs, 1),
    bcryptBoundPerS: roundTo((cores * 1000) / bcryptMs, 1),
    cpu,
  };
}
