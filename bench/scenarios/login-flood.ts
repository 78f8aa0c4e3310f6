/**
 * A flood of registrations from one address, and what it does to everyone else: the time of
 * `GET /` (the web client's page, read from disk on libuv's thread pool) and of a real sign-in
 * from another address, idle and during the flood. Each registration hashes a password with
 * bcrypt on that same thread pool, so an unbounded flood queues the page and the sign-in behind
 * it; the server bounds the hashes run at once and serves waiting ones in turn per address.
 *
 * The clients' addresses are given in X-Forwarded-For, which the bench's servers trust from
 * loopback (TRUST_PROXY=127.0.0.1); the flood's refusals (429) are counted, not retried sooner.
 */
import { type BenchContext, type CpuSplit } from '../context.js';
import { Histogram, type LatencySummary } from '../histogram.js';
import { BENCH_PASSWORD, request } from '../http.js';

const FLOOD_ADDRESS = '203.0.113.66';
const USER_ADDRESS = '198.51.100.7';
const SAMPLE_EVERY_MS = 100;

export interface LoginFloodResult {
  scenario: 'login-flood';
  instances: number;
  /** Registrations kept in flight by the flood. */
  parallel: number;
  durationS: number;
  flood: { registered: number; refused: number; failed: number };
  idle: { pageMs: LatencySummary; signInMs: LatencySummary };
  underFlood: { pageMs: LatencySummary; signInMs: LatencySummary };
  cpu: CpuSplit;
}

/** Times `GET /` and a sign-in, one after the other, until `until` says stop. */
async function sample(
  url: string,
  username: string,
  samples: number | null,
  until: () => boolean,
): Promise<{ pageMs: LatencySummary; signInMs: LatencySummary }> {
  const page = new Histogram();
  const signIn = new Histogram();
  for (let i = 0; samples === null ? !until() : i < samples; i++) {
    let started = performance.now();
    const answer = await request('GET', `${url}/`, { headers: { accept: 'text/html' } });
    if (answer.status !== 200) throw new Error(`GET / answered ${answer.status}`);
    page.record((performance.now() - started) * 1000);
    started = performance.now();
    const login = await request('POST', `${url}/login`, {
      body: { username, password: BENCH_PASSWORD },
      headers: { 'x-forwarded-for': USER_ADDRESS },
    });
    if (login.status !== 200) throw new Error(`sign-in answered ${login.status}: ${login.body}`);
    signIn.record((performance.now() - started) * 1000);
    await new Promise((done) => setTimeout(done, SAMPLE_EVERY_MS));
  }
  return { pageMs: page.summaryMs(), signInMs: signIn.summaryMs() };
}

export async function runLoginFlood(ctx: BenchContext): Promise<LoginFloodResult> {
  const params = ctx.options.loginFlood;
  const [user] = await ctx.users(1);
  if (!user) throw new Error('no bench user');
  const url = user.url;
  await ctx.waitForQuietMachine();
  const idle = await sample(url, user.username, params.samples, () => false);

  const window = ctx.window('login-flood');
  const flood = { registered: 0, refused: 0, failed: 0 };
  const endsAt = performance.now() + params.durationS * 1000;
  const over = () => performance.now() >= endsAt;
  let next = 0;
  const registerer = async () => {
    while (!over()) {
      const answer = await request('POST', `${url}/login`, {
        body: { username: `f${ctx.runId}-${next++}`, password: BENCH_PASSWORD },
        headers: { 'x-forwarded-for': FLOOD_ADDRESS },
      });
      if (answer.status === 201) flood.registered++;
      else if (answer.status === 429) {
        flood.refused++;
        // A refused client waits what Retry-After would say (1 s) at the most; less, to press.
        await new Promise((done) => setTimeout(done, 50));
      } else flood.failed++;
    }
  };
  const flooding = Promise.all(Array.from({ length: params.parallel }, registerer));
  // The flood fills the queue first.
  await new Promise((done) => setTimeout(done, 500));
  const underFlood = await sample(url, user.username, null, over);
  await flooding;
  const { serverCpuS: _serverCpuS, ...cpu } = window.stop();

  return {
    scenario: 'login-flood',
    instances: ctx.deployment.urls.length,
    parallel: params.parallel,
    durationS: params.durationS,
    flood,
    idle,
    underFlood,
    cpu,
  };
}
