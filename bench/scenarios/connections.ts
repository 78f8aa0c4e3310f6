/**
 * Connections: steps of C authenticated sockets (1k, 5k, 10k by default) spread over a few users
 * (each socket shares its user's session, as tabs do) and over the instances, opened one step
 * after the other on the same servers. At each step: what opening them cost the servers (CPU per
 * connection), what holding them costs (CPU per connection and second, over --connections-hold,
 * idle or with --connections-activity messages per user per minute into each user's private
 * room), and what they hold in memory — the servers' RSS growth per connection from before the
 * first socket, and the growth since the previous step; beside it, when the servers can be
 * asked (the bench's own, started with an inspector), the JavaScript heap and external memory
 * after a full GC, which the young generation's garbage does not blur.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GENERAL_ROOM_ID } from '../../src/protocol/models.js';
import type { AcceptedBySender, SenderSpec, SocketSpec } from '../agent-protocol.js';
import { type BenchContext, type CpuSplit, batchesFor, roundTo } from '../context.js';
import type { ServerMemory } from '../deployment.js';
import { type BenchUser, inParallel, request } from '../http.js';
import { pairRoomId, partnerIndex } from './messaging.js';

const ACK_TIMEOUT_MS = 30_000;
/** After the sends of a step, how long deliveries may take before the rest counts as lost. */
const DRAIN_MS = 3000;
/** After the warm-up's sockets closed: the presence grace (5 s) and a margin. */
const WARM_UP_SETTLE_MS = 7000;

export interface ConnectionsStep {
  connections: number;
  opened: number;
  failed: number;
  firstError: string | null;
  connectionsPerS: number;
  serverRssMB: number;
  /** RSS growth from before the first socket, per connection open now (KB). */
  rssKBPerConnection: number;
  /** RSS growth since the previous step, per connection added (KB). */
  rssKBPerAddedConnection: number;
  /** Heap + external after a full GC, growth per connection from before the first socket (KB). */
  heapKBPerConnection: number | null;
  externalKBPerConnection: number | null;
  heapUsedMB: number | null;
  /** Server CPU to open this step's sockets, per socket opened. */
  serverCpuUsPerConnection: number;
  /** Server CPU while the step was held, per connection and second. */
  serverCpuUsPerConnectionPerS: number;
  /** With activity: messages accepted while held, deliveries expected and lost. */
  messages: number;
  expectedDeliveries: number;
  lost: number;
  duplicates: number;
  leaks: number;
  cpu: CpuSplit;
}

export interface ConnectionsResult {
  scenario: 'connections';
  instances: number;
  /** The largest step, and its figures (kept at the top level for older readers of results). */
  connections: number;
  users: number;
  /** Messages per user per minute while each step is held (0: idle). */
  activity: number;
  holdS: number;
  /** Connections opened and closed before the baseline (absent in results from before it). */
  warmUp?: number;
  opened: number;
  failed: number;
  firstError: string | null;
  connectionsPerS: number;
  serverRssBeforeMB: number;
  serverRssAfterMB: number;
  heapBeforeMB: number | null;
  rssKBPerConnection: number;
  serverCpuUsPerConnection: number;
  steps: ConnectionsStep[];
  cpu: CpuSplit;
}

/**
 * `count` idle sockets over at most `userCount` bench users, round-robin: each user's first
 * connection (which announces them online to all sockets) comes early, while few sockets are
 * there to hear it.
 */
export async function idleSockets(
  ctx: BenchContext,
  count: number,
  userCount: number,
): Promise<{ users: number; sockets: SocketSpec[] }> {
  const users = await ctx.users(Math.min(userCount, count), { seeded: true });
  const sockets = Array.from({ length: count }, (_, key): SocketSpec => {
    const user = users[key % users.length]!;
    return {
      key,
      userIndex: user.index,
      url: user.url,
      cookie: user.cookie,
      allowedRooms: [],
      expectedRooms: [],
      batch: batchesFor(ctx.options.batch, key),
    };
  });
  return { users: users.length, sockets };
}

/** Each pair of users (2k, 2k+1) gets its private room, as the web client opens it. */
async function openPairRooms(users: BenchUser[]): Promise<void> {
  await inParallel(
    users.filter((user) => user.index % 2 === 0 && users[partnerIndex(user.index)]),
    8,
    async (user) => {
      const partner = users[partnerIndex(user.index)] as BenchUser;
      const answer = await request('POST', `${user.url}/room`, {
        body: { user1: user.id, user2: partner.id },
        cookie: user.cookie,
      });
      if (answer.status !== 201) throw new Error(`POST /room: ${answer.status} ${answer.body}`);
    },
  );
}

const sum = <T>(items: T[], pick: (item: T) => number) =>
  items.reduce((total, item) => total + pick(item), 0);

export async function runConnections(ctx: BenchContext): Promise<ConnectionsResult> {
  const params = ctx.options.connections;
  const steps = [...params.steps].sort((a, b) => a - b);
  const most = steps.at(-1) ?? 0;
  const active = params.activity > 0;
  // Pairs need an even number of users.
  const userCount = Math.min(params.users, most) + (active ? Math.min(params.users, most) % 2 : 0);
  const users = await ctx.users(userCount, { seeded: true });
  if (active) await openPairRooms(users);
  const { urls } = ctx.deployment;
  const roomOf = (user: BenchUser) =>
    pairRoomId(user, users[partnerIndex(user.index)] as BenchUser);
  const specOf = (key: number): SocketSpec => {
    const user = users[key % users.length] as BenchUser;
    const room = active ? [roomOf(user)] : [];
    return {
      key,
      userIndex: user.index,
      // Spread over the instances by socket, whoever the user: a user's tabs may land anywhere.
      url: urls[key % urls.length] as string,
      cookie: user.cookie,
      allowedRooms: [GENERAL_ROOM_ID, ...room],
      expectedRooms: room,
      batch: batchesFor(ctx.options.batch, key),
    };
  };
  // Each user's first socket (key = its index) sends, from the first step on.
  const senders: SenderSpec[] = active
    ? users.map((user) => ({
        socketKey: user.index,
        roomId: roomOf(user),
        ratePerS: params.activity / 60,
      }))
    : [];
  if (active && steps[0]! < users.length) {
    throw new Error(
      `--connections-activity: the first step needs at least ${users.length} sockets`,
    );
  }

  // The first burst of connections a fresh process accepts also grows, once, what every later
  // one reuses: V8's young generation (handshakes allocate fast) and the allocator's arenas. A
  // server in service has done that long ago; opened and closed here, the warm-up keeps that
  // one-off growth out of the per-connection figures, which are then what a connection adds.
  if (params.warmUp > 0) {
    await ctx.agents.open(
      Array.from({ length: params.warmUp }, (_, i) => specOf(i)),
      { listen: false, concurrency: params.concurrency },
    );
    await ctx.agents.closeSockets();
    // Past the presence grace: the users' offline announcements are done before the baseline.
    await ctx.settle(WARM_UP_SETTLE_MS);
  }
  await ctx.settle();
  await ctx.waitForQuietMachine();
  // A full GC first (when the servers can be asked), so that RSS is read once it has settled.
  const heapBefore = await ctx.deployment.memoryAfterGc?.();
  const rssBefore = ctx.serverRss();
  let rssPrevious = rssBefore;
  let openedSoFar = 0;
  const results: ConnectionsStep[] = [];
  for (const target of steps) {
    const specs = Array.from({ length: target - openedSoFar }, (_, i) => specOf(openedSoFar + i));
    const opening = ctx.window('connections');
    const opened = await ctx.agents.open(specs, {
      listen: active,
      concurrency: params.concurrency,
    });
    const openCpu = opening.stop();
    openedSoFar = target;
    await ctx.settle(2000);

    await ctx.agents.forget();
    const holding = ctx.window('connections');
    let accepted: AcceptedBySender[] = [];
    if (active) {
      const sent = await ctx.agents.send(senders, params.holdS * 1000, ACK_TIMEOUT_MS);
      accepted = sent.flatMap((s) => s.accepted);
    } else {
      await sleep(params.holdS * 1000);
    }
    const { serverCpuS: holdCpuS, ...holdCpu } = holding.stop();
    if (active) await sleep(DRAIN_MS);
    const verified = active ? await ctx.agents.verify(accepted) : [];

    const heap = await ctx.deployment.memoryAfterGc?.();
    const rss = ctx.serverRss();
    const open = target - (results.at(-1)?.connections ?? 0);
    const perConnection = (bytes: number, count: number) =>
      count > 0 ? roundTo(bytes / 1024 / count, 1) : 0;
    const heapGrowth = (pick: (m: ServerMemory) => number) =>
      heap && heapBefore ? perConnection(pick(heap) - pick(heapBefore), target) : null;
    results.push({
      connections: target,
      opened: opened.opened,
      failed: opened.failed,
      firstError: opened.firstError,
      connectionsPerS: roundTo(opened.opened / (opened.ms / 1000), 1),
      serverRssMB: roundTo(rss / 2 ** 20, 1),
      rssKBPerConnection: perConnection(rss - rssBefore, target),
      rssKBPerAddedConnection: perConnection(rss - rssPrevious, open),
      heapKBPerConnection: heapGrowth((m) => m.heapUsed),
      externalKBPerConnection: heapGrowth((m) => m.external),
      heapUsedMB: heap ? roundTo(heap.heapUsed / 2 ** 20, 1) : null,
      serverCpuUsPerConnection: opened.opened
        ? roundTo((openCpu.serverCpuS * 1e6) / opened.opened, 1)
        : 0,
      serverCpuUsPerConnectionPerS: roundTo((holdCpuS * 1e6) / target / holdCpu.wallS, 2),
      messages: sum(accepted, (a) => a.seqs.length),
      expectedDeliveries: sum(verified, (v) => v.expected),
      lost: sum(verified, (v) => v.lost),
      duplicates: sum(verified, (v) => v.duplicates),
      leaks: sum(verified, (v) => v.leaks + v.misrouted + v.unaccepted),
      cpu: holdCpu,
    });
    rssPrevious = rss;
    console.error(
      `bench: connections ${target}: ${results.at(-1)?.rssKBPerConnection} KB RSS/conn, ` +
        `heap ${results.at(-1)?.heapKBPerConnection ?? '?'} KB/conn`,
    );
  }
  await ctx.agents.closeSockets();

  const last = results.at(-1) as ConnectionsStep;
  return {
    scenario: 'connections',
    instances: urls.length,
    connections: last.connections,
    users: users.length,
    activity: params.activity,
    holdS: params.holdS,
    warmUp: params.warmUp,
    opened: sum(results, (s) => s.opened),
    failed: sum(results, (s) => s.failed),
    firstError: results.find((s) => s.firstError)?.firstError ?? null,
    connectionsPerS: last.connectionsPerS,
    serverRssBeforeMB: roundTo(rssBefore / 2 ** 20, 1),
    serverRssAfterMB: last.serverRssMB,
    heapBeforeMB: heapBefore ? roundTo(heapBefore.heapUsed / 2 ** 20, 1) : null,
    rssKBPerConnection: last.rssKBPerConnection,
    serverCpuUsPerConnection: last.serverCpuUsPerConnection,
    steps: results,
    cpu: last.cpu,
  };
}
