/**
 * Reconnect storm: C authenticated sockets over U users are open; then every one of them drops at
 * once and comes straight back (all C reconnecting together, as after an instance restart or a
 * network blip). Measured over the storm: the time until all are connected again, the servers'
 * CPU and their peak RSS (sampled every 100 ms).
 *
 * The sockets drop on the client side (the load generator closes them all), not by restarting an
 * instance; what the server sees is the same: C disconnects, then C connects, at once. Catching up
 * on messages and the count of presence events are not measured yet.
 */
import { type BenchContext, type CpuSplit, roundTo } from '../context.js';
import { idleSockets } from './connections.js';

const SAMPLE_EVERY_MS = 100;

export interface StormResult {
  scenario: 'storm';
  instances: number;
  connections: number;
  users: number;
  reconnected: number;
  failed: number;
  firstError: string | null;
  /** From the moment every socket was closed until the last one was connected again. */
  allBackMs: number;
  reconnectsPerS: number;
  serverRssBeforeMB: number;
  serverRssPeakMB: number;
  serverCpuUsPerReconnect: number;
  cpu: CpuSplit;
}

export async function runStorm(ctx: BenchContext): Promise<StormResult> {
  const params = ctx.options.storm;
  const { users, sockets } = await idleSockets(ctx, params.connections, params.users);
  const first = await ctx.agents.open(sockets, { listen: false, concurrency: 100 });
  if (first.failed > 0) throw new Error(`storm: ${first.failed} sockets failed to open`);
  await ctx.settle(2000);
  await ctx.waitForQuietMachine();

  const before = ctx.serverRss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, ctx.serverRss());
  }, SAMPLE_EVERY_MS);
  const window = ctx.window('storm');
  const started = performance.now();
  await ctx.agents.closeSockets();
  const back = await ctx.agents.open(sockets, {
    listen: false,
    concurrency: params.connections,
  });
  const allBackMs = performance.now() - started;
  const { serverCpuS, ...cpu } = window.stop();
  clearInterval(sampler);
  peak = Math.max(peak, ctx.serverRss());
  await ctx.agents.closeSockets();

  return {
    scenario: 'storm',
    instances: ctx.deployment.urls.length,
    connections: params.connections,
    users,
    reconnected: back.opened,
    failed: back.failed,
    firstError: back.firstError,
    allBackMs: roundTo(allBackMs, 0),
    reconnectsPerS: roundTo(back.opened / (allBackMs / 1000), 1),
    serverRssBeforeMB: roundTo(before / 2 ** 20, 1),
    serverRssPeakMB: roundTo(peak / 2 ** 20, 1),
    serverCpuUsPerReconnect: back.opened ? roundTo((serverCpuS * 1e6) / back.opened, 1) : 0,
    cpu,
  };
}
