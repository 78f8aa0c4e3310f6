/**
 * Reconnect storm: S sockets of one instance (over U users) are in General and connected; a sender
 * on another instance (the last one; the same one when there is only one) posts to General at a
 * steady rate; then every one of the S sockets loses its connection at once:
 *
 * - `drop`: the load generator cuts each socket's transport, as a lost network would;
 * - `restart`: the bench kills the instance (SIGKILL) and starts it again on the same port.
 *
 * Either way the sockets come back by themselves with the web client's reconnection delays, and
 * catch up as the web client does (the messages after the newest one they hold, per room). A
 * socket is back when it is connected again and has caught up. Measured: the time from the cut
 * until 99 % and 100 % are back, that every accepted message reached every socket (live or by
 * the catch-up), the peak CPU and RSS of the servers and of Redis, and the presence events the
 * storm caused: frames received by the clients and PUBLISHes in Redis.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { io } from 'socket.io-client';
import { GENERAL_ROOM_ID } from '../../src/protocol/models.js';
import {
  type AcceptedBySender,
  type ReconnectsResult,
  type SocketSpec,
  monotonicUs,
} from '../agent-protocol.js';
import { type BenchContext, type CpuSplit, batchesFor, roundTo } from '../context.js';
import type { BenchUser } from '../http.js';
import type { StormMode } from '../options.js';
import { cpuTimes, cpuTotal, rssBytes } from '../proc-stats.js';

const SAMPLE_EVERY_MS = 250;
const POLL_EVERY_MS = 100;
/** The sender posts this long before the cut, so that live delivery is under way when it comes. */
const LEAD_IN_MS = 1000;
const ACK_TIMEOUT_MS = 10_000;
/** After the sends, how long deliveries may take to arrive before the rest counts as lost. */
const DRAIN_MS = 5000;

export interface StormResult {
  scenario: 'storm';
  mode: StormMode;
  instances: number;
  connections: number;
  users: number;
  /** Sockets back (connected again and caught up) before the deadline, and those that were not. */
  reconnected: number;
  failed: number;
  firstError: string | null;
  /** From the cut (kill) until 99 % / 100 % of the sockets were connected again. */
  connected99Ms: number | null;
  connected100Ms: number | null;
  /** … and had caught up: what those sockets' users see as "back". */
  back99Ms: number | null;
  back100Ms: number | null;
  /** Kept for older results: the same as back100Ms. */
  allBackMs: number | null;
  /** With `restart`: how long the instance took to answer /readyz again. */
  restartMs: number | null;
  reconnectsPerS: number;
  /** Messages the sender got accepted during the storm, and what the sockets had to receive. */
  messages: number;
  offline: number;
  expectedDeliveries: number;
  lost: number;
  duplicates: number;
  leaks: number;
  catchUpRequests: number;
  /** Messages that reached a socket through its catch-up only. */
  caughtUpMessages: number;
  catchUpFailures: number;
  /** Presence frames the clients received over the storm (all sockets, sender included). */
  presenceFrames: number;
  presenceChanges: number;
  presenceFramesPerReconnect: number;
  /** Redis PUBLISH and SPUBLISH calls over the storm (all channels: presence, adapter, messages). */
  redisPublishes: number | null;
  redisPublishesPerReconnect: number | null;
  serverRssBeforeMB: number;
  serverRssPeakMB: number;
  serverPeakCores: number;
  redisRssPeakMB: number | null;
  redisPeakCores: number | null;
  serverCpuUsPerReconnect: number;
  /** Whether every server process was still running at the end (a restarted one: its new run). */
  crashed: boolean;
  cpu: CpuSplit;
}

/** Peak RSS and peak CPU (cores over each sample interval) of a changing set of processes. */
class PeakSampler {
  private readonly lastCpu = new Map<number, number>();
  private lastAt = performance.now();
  private timer: NodeJS.Timeout;
  peakRss = 0;
  peakCores = 0;
  /** CPU seconds of every process seen, including one that was killed meanwhile. */
  cpuS = 0;

  constructor(private readonly pids: () => number[]) {
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
  }

  private sample(): void {
    const now = performance.now();
    let rss = 0;
    let used = 0;
    for (const pid of this.pids()) {
      try {
        rss += rssBytes(pid);
        const cpu = cpuTotal(cpuTimes(pid));
        const last = this.lastCpu.get(pid);
        if (last !== undefined) used += cpu - last;
        this.lastCpu.set(pid, cpu);
      } catch {
        // Killed meanwhile: what it used since the last sample is not known.
      }
    }
    const wallS = (now - this.lastAt) / 1000;
    if (wallS > 0 && this.lastCpu.size > 0) this.peakCores = Math.max(this.peakCores, used / wallS);
    this.cpuS += used;
    this.lastAt = now;
    this.peakRss = Math.max(this.peakRss, rss);
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }
}

async function publishCalls(url: string | null): Promise<number | null> {
  if (!url) return null;
  const client = createClient({ url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const stats = await client.info('commandstats');
    // The Socket.IO adapter publishes with SPUBLISH (sharded pub/sub), the rest with PUBLISH.
    const calls = (command: string) =>
      Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
    return calls('publish') + calls('spublish');
  } catch {
    return null;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** Posts one message to General and answers its id: where the sockets' catch-up starts. */
async function postMarker(user: BenchUser): Promise<string> {
  const socket = io(user.url, {
    transports: ['websocket'],
    extraHeaders: { cookie: user.cookie },
    forceNew: true,
    reconnection: false,
  });
  try {
    await new Promise<void>((done, fail) => {
      socket.once('connect', done);
      socket.once('connect_error', fail);
    });
    const reply = (await socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck('message', { roomId: GENERAL_ROOM_ID, message: 'storm marker' })) as {
      ok: boolean;
      message?: { id: string };
    };
    if (!reply.ok || !reply.message) throw new Error('the storm marker was refused');
    return reply.message.id;
  } finally {
    socket.close();
  }
}

/** The time by which `share` of the sockets had reached a point (ms after `fromUs`), or null. */
function timeToShare(timesUs: number[], share: number, fromUs: number): number | null {
  const reached = timesUs.filter((t) => t > 0).sort((a, b) => a - b);
  const needed = Math.ceil(timesUs.length * share);
  const at = reached[needed - 1];
  return at === undefined ? null : roundTo((at - fromUs) / 1000, 0);
}

export async function runStorm(ctx: BenchContext): Promise<StormResult> {
  const params = ctx.options.storm;
  const { urls } = ctx.deployment;
  const stormUrl = urls[0] as string;
  const senderUrl = urls[urls.length - 1] as string;
  if (params.mode === 'restart' && !ctx.deployment.restart) {
    throw new Error('storm --storm-mode restart needs servers the bench starts (not --url)');
  }
  // The users' sockets, then one more user who only sends.
  const userCount = Math.min(params.users, params.connections);
  const pool = await ctx.users(userCount + 1, { seeded: true });
  const users = pool.slice(0, userCount);
  const senderUser = pool[userCount] as BenchUser;
  const markerId = await postMarker({ ...senderUser, url: senderUrl });
  const reconnect = { catchUpAfter: { [GENERAL_ROOM_ID]: markerId } };
  const sockets = Array.from({ length: params.connections }, (_, key): SocketSpec => {
    const user = users[key % users.length] as BenchUser;
    return {
      key,
      userIndex: user.index,
      url: stormUrl,
      cookie: user.cookie,
      allowedRooms: [GENERAL_ROOM_ID],
      expectedRooms: [GENERAL_ROOM_ID],
      batch: batchesFor(ctx.options.batch, key),
      reconnect,
    };
  });
  const senderKey = params.connections;
  const sender: SocketSpec = {
    key: senderKey,
    userIndex: senderUser.index,
    url: senderUrl,
    cookie: senderUser.cookie,
    allowedRooms: [GENERAL_ROOM_ID],
    expectedRooms: [GENERAL_ROOM_ID],
    batch: batchesFor(ctx.options.batch, senderKey),
    reconnect,
  };
  const first = await ctx.agents.open([...sockets, sender], { listen: true, concurrency: 100 });
  if (first.failed > 0) {
    throw new Error(`storm: ${first.failed} sockets failed to open (${first.firstError})`);
  }
  await ctx.settle(2000);
  await ctx.waitForQuietMachine();

  const rssBefore = ctx.serverRss();
  const servers = new PeakSampler(() => ctx.deployment.serverPids);
  const redis = ctx.deployment.redisPids.length
    ? new PeakSampler(() => ctx.deployment.redisPids)
    : null;
  const publishesBefore = await publishCalls(ctx.deployment.redisUrl);
  const stormKeys = sockets.length;
  const presenceBefore = sumOf(await ctx.agents.reconnects(0, Number.MAX_SAFE_INTEGER));
  const window = ctx.window('storm');
  const sending = ctx.agents.send(
    [{ socketKey: senderKey, roomId: GENERAL_ROOM_ID, ratePerS: params.rate }],
    LEAD_IN_MS + params.sendS * 1000,
    ACK_TIMEOUT_MS,
  );
  await sleep(LEAD_IN_MS);

  const cutUs = monotonicUs();
  let restartMs: number | null = null;
  if (params.mode === 'drop') {
    // The storm's sockets only (keys below the sender's).
    await ctx.agents.drop(stormKeys);
  } else {
    const started = performance.now();
    await ctx.deployment.restart?.(0);
    restartMs = roundTo(performance.now() - started, 0);
  }

  const deadline = performance.now() + params.timeoutS * 1000;
  let status = sumOf(await ctx.agents.reconnects(cutUs, stormKeys));
  while (status.caughtUp < status.sockets && performance.now() < deadline) {
    await sleep(POLL_EVERY_MS);
    status = sumOf(await ctx.agents.reconnects(cutUs, stormKeys));
  }
  const sent = await sending;
  const accepted: AcceptedBySender[] = sent.flatMap((s) => s.accepted);
  const messages = accepted.reduce((sum, s) => sum + s.seqs.length, 0);
  await sleep(DRAIN_MS);
  // In restart mode the window sees the instances that were not restarted only; the sampler
  // below sees every server process, the restarted one included.
  const { serverCpuS: windowServerCpuS, ...cpu } = window.stop();
  servers.stop();
  redis?.stop();
  const publishesAfter = await publishCalls(ctx.deployment.redisUrl);
  const times = await ctx.agents.reconnects(cutUs, stormKeys, true);
  const counters = sumOf(await ctx.agents.reconnects(cutUs, Number.MAX_SAFE_INTEGER));
  const verified = await ctx.agents.verify(accepted);
  await ctx.agents.closeSockets();

  const connectedAtUs = times.flatMap((t) => t.connectedAtUs);
  const caughtUpAtUs = times.flatMap((t) => t.caughtUpAtUs);
  const back = caughtUpAtUs.filter((t) => t > 0).length;
  const back100Ms = timeToShare(caughtUpAtUs, 1, cutUs);
  const lastBackUs = Math.max(...caughtUpAtUs, cutUs);
  const presenceFrames = counters.presenceFrames - presenceBefore.presenceFrames;
  const redisPublishes =
    publishesBefore !== null && publishesAfter !== null ? publishesAfter - publishesBefore : null;
  const alive = ctx.deployment.serverPids.every((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
  return {
    scenario: 'storm',
    mode: params.mode,
    instances: urls.length,
    connections: params.connections,
    users: users.length,
    reconnected: back,
    failed: sockets.length - back,
    firstError:
      counters.catchUpFailures > 0 ? `${counters.catchUpFailures} catch-ups failed` : null,
    connected99Ms: timeToShare(connectedAtUs, 0.99, cutUs),
    connected100Ms: timeToShare(connectedAtUs, 1, cutUs),
    back99Ms: timeToShare(caughtUpAtUs, 0.99, cutUs),
    back100Ms,
    allBackMs: back100Ms,
    restartMs,
    reconnectsPerS: roundTo(back / Math.max(0.001, (lastBackUs - cutUs) / 1e6), 1),
    messages,
    offline: sent.reduce((sum, s) => sum + s.offline, 0),
    expectedDeliveries: verified.reduce((sum, v) => sum + v.expected, 0),
    lost: verified.reduce((sum, v) => sum + v.lost, 0),
    duplicates: verified.reduce((sum, v) => sum + v.duplicates, 0),
    leaks: verified.reduce((sum, v) => sum + v.leaks + v.misrouted + v.unaccepted, 0),
    catchUpRequests: counters.catchUpRequests - presenceBefore.catchUpRequests,
    caughtUpMessages: counters.caughtUpMessages - presenceBefore.caughtUpMessages,
    catchUpFailures: counters.catchUpFailures - presenceBefore.catchUpFailures,
    presenceFrames,
    presenceChanges: counters.presenceChanges - presenceBefore.presenceChanges,
    presenceFramesPerReconnect: back ? roundTo(presenceFrames / back, 2) : 0,
    redisPublishes,
    redisPublishesPerReconnect:
      redisPublishes !== null && back ? roundTo(redisPublishes / back, 3) : null,
    serverRssBeforeMB: roundTo(rssBefore / 2 ** 20, 1),
    serverRssPeakMB: roundTo(servers.peakRss / 2 ** 20, 1),
    serverPeakCores: roundTo(servers.peakCores, 2),
    redisRssPeakMB: redis ? roundTo(redis.peakRss / 2 ** 20, 1) : null,
    redisPeakCores: redis ? roundTo(redis.peakCores, 2) : null,
    serverCpuUsPerReconnect: back
      ? roundTo((Math.max(servers.cpuS, windowServerCpuS) * 1e6) / back, 1)
      : 0,
    crashed: !alive,
    cpu,
  };
}

function sumOf(results: ReconnectsResult[]) {
  const total = {
    sockets: 0,
    connected: 0,
    caughtUp: 0,
    catchUpRequests: 0,
    caughtUpMessages: 0,
    catchUpFailures: 0,
    presenceFrames: 0,
    presenceChanges: 0,
  };
  for (const r of results) {
    for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += r[key];
  }
  return total;
}
