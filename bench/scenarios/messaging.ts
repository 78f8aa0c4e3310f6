/**
 * The two messaging scenarios. `general`: U users in General, S of them sending at a combined
 * offered rate. `private`: U users paired into U/2 private rooms, all sending. Every accepted
 * message must reach every socket of its room exactly once and no other socket.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GENERAL_ROOM_ID } from '../../src/protocol/models.js';
import type { AcceptedBySender, SenderSpec, SocketSpec } from '../agent-protocol.js';
import {
  type BenchContext,
  type CpuSplit,
  LOAD_GENERATOR_LAG_LIMIT_MS,
  batchesFor,
  roundTo,
} from '../context.js';
import { Histogram, type LatencySummary } from '../histogram.js';
import { CpuMeter, cpuTotal } from '../proc-stats.js';
import { type BenchUser, inParallel, request } from '../http.js';
import type { BatchMode, GeneralParams } from '../options.js';

const ACK_TIMEOUT_MS = 30_000;
/** Give up waiting for deliveries after this long without progress. */
const DRAIN_STALL_MS = 5_000;
/** How long the servers' idle CPU (sockets connected, nothing sent) is measured before sending. */
const IDLE_WINDOW_MS = 3_000;
/** Below this share of the offered rate, the senders did not keep up: lagging too. */
const OFFERED_RATE_SHARE_KEPT = 0.95;

export interface MessagingResult {
  scenario: 'general' | 'private';
  instances: number;
  batch: BatchMode;
  users: number;
  /** Sockets per user (general; 1 in private). */
  tabs: number;
  /** Sockets connected: General's members online. */
  sockets: number;
  senders: number;
  rooms: number;
  offeredRate: number;
  durationS: number;
  /** Messages the server accepted, refused (by code), or never answered. */
  messages: number;
  refused: Record<string, number>;
  unacked: number;
  messagesPerS: number;
  deliveries: number;
  deliveriesPerS: number;
  /** Socket.IO events received per delivery (1 unless batched). */
  eventsPerDelivery: number;
  expectedDeliveries: number;
  lost: number;
  duplicates: number;
  leaks: number;
  misrouted: number;
  unaccepted: number;
  disconnects: number;
  latencyMs: LatencySummary;
  ackLatencyMs: LatencySummary;
  /** The worst agent's event-loop delay while sending: the load generator's own lag. */
  loadGeneratorLoopDelayMs: { p99: number; max: number };
  /**
   * The load generator lagged (loop delay p99 over LOAD_GENERATOR_LAG_LIMIT_MS, or it sent less
   * than 95 % of the offered rate): what this run measured is partly the load generator.
   */
  loadGeneratorLagging: boolean;
  serverCpuUsPerMessage: number;
  serverCpuUsPerDelivery: number;
  /**
   * What the servers use with the same sockets connected and nothing sent (timers, pings,
   * heartbeats), in cores; and the CPU per delivery without it. At a few messages a second that
   * idle cost is most of the total in a small room and would pass for the cost of a delivery.
   */
  serverIdleCores: number;
  serverCpuUsPerDeliveryAboveIdle: number;
  serverRssMB: number;
  cpu: CpuSplit;
}

/** Private room of two users: "low:high" by numeric id, as the server names it. */
export const pairRoomId = (a: BenchUser, b: BenchUser) =>
  Number(a.id) < Number(b.id) ? `${a.id}:${b.id}` : `${b.id}:${a.id}`;

/** Users 2k and 2k+1 are paired. */
export const partnerIndex = (index: number) => (index % 2 === 0 ? index + 1 : index - 1);

interface Plan {
  sockets: SocketSpec[];
  senders: SenderSpec[];
  rooms: number;
}

/**
 * Every user's `tabs` sockets in General. Sockets are numbered tab by tab (every user's first
 * tab, then every second one…), so each user's first socket — the one that sends, and the one
 * whose connection the server announces to everybody — connects first.
 */
function generalPlan(
  users: BenchUser[],
  { senders, rate, tabs }: GeneralParams,
  batch: BatchMode,
): Plan {
  const sockets: SocketSpec[] = [];
  for (let tab = 0; tab < tabs; tab++) {
    for (const user of users) {
      const spec = socketOf(user, users, [GENERAL_ROOM_ID], batch);
      sockets.push({ ...spec, key: tab * users.length + user.index });
    }
  }
  return {
    sockets,
    senders: users.slice(0, senders).map((user) => ({
      socketKey: user.index,
      roomId: GENERAL_ROOM_ID,
      ratePerS: rate / senders,
    })),
    rooms: 1,
  };
}

/** One socket per user: it may see General and its private room, and must get `expectedRooms`. */
function socketOf(
  user: BenchUser,
  pool: BenchUser[],
  expectedRooms: string[],
  batch: BatchMode,
): SocketSpec {
  return {
    key: user.index,
    userIndex: user.index,
    url: user.url,
    cookie: user.cookie,
    allowedRooms: allowedRooms(user, pool),
    expectedRooms,
    batch: batchesFor(batch, user.index),
  };
}

/** General, and the user's private room if the pool has its partner. */
function allowedRooms(user: BenchUser, pool: BenchUser[]): string[] {
  const partner = pool[partnerIndex(user.index)];
  return partner ? [GENERAL_ROOM_ID, pairRoomId(user, partner)] : [GENERAL_ROOM_ID];
}

async function privatePlan(users: BenchUser[], rate: number, batch: BatchMode): Promise<Plan> {
  // Open the rooms through the API, as the web client does before the first message.
  await inParallel(
    users.filter((user) => user.index % 2 === 0),
    8,
    async (user) => {
      const partner = users[partnerIndex(user.index)] as BenchUser;
      const answer = await request('POST', `${user.url}/room`, {
        body: { user1: user.id, user2: partner.id },
        cookie: user.cookie,
      });
      if (answer.status !== 201) {
        throw new Error(`POST /room failed: ${answer.status} ${answer.body}`);
      }
    },
  );
  return {
    sockets: users.map((user) =>
      socketOf(
        user,
        users,
        [pairRoomId(user, users[partnerIndex(user.index)] as BenchUser)],
        batch,
      ),
    ),
    senders: users.map((user) => ({
      socketKey: user.index,
      roomId: pairRoomId(user, users[partnerIndex(user.index)] as BenchUser),
      ratePerS: rate / users.length,
    })),
    rooms: users.length / 2,
  };
}

async function waitForDeliveries(ctx: BenchContext, expected: number) {
  let last = -1;
  let lastChange = performance.now();
  for (;;) {
    const progress = await ctx.agents.progress();
    const delivered = progress.reduce((sum, p) => sum + p.deliveries, 0);
    if (delivered >= expected) return;
    if (delivered !== last) {
      last = delivered;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > DRAIN_STALL_MS) {
      return; // what is missing now is lost; verify() counts it
    }
    await sleep(50);
  }
}

export async function runMessaging(
  ctx: BenchContext,
  scenario: 'general' | 'private',
): Promise<MessagingResult> {
  const params = scenario === 'general' ? ctx.options.general : ctx.options.private;
  const senders = scenario === 'general' ? ctx.options.general.senders : params.users;
  const users = await ctx.users(params.users, { seeded: true });
  const plan =
    scenario === 'general'
      ? generalPlan(users, ctx.options.general, ctx.options.batch)
      : await privatePlan(users, params.rate, ctx.options.batch);

  const opened = await ctx.agents.open(plan.sockets, {
    listen: true,
    concurrency: 50,
  });
  if (opened.failed > 0) {
    await ctx.agents.closeSockets();
    throw new Error(`${opened.failed} sockets failed to connect: ${opened.firstError}`);
  }
  await ctx.settle();

  await ctx.waitForQuietMachine();
  const idleMeter = new CpuMeter(ctx.deployment.serverPids);
  await sleep(IDLE_WINDOW_MS);
  const idle = idleMeter.read();
  const serverIdleCores = cpuTotal(idle.cpu) / idle.wallS;
  const window = ctx.window(scenario);
  const sent = await ctx.agents.send(plan.senders, params.durationS * 1000, ACK_TIMEOUT_MS);
  const accepted: AcceptedBySender[] = sent.flatMap((s) => s.accepted);
  const audience = new Map<string, number>();
  for (const socket of plan.sockets) {
    for (const room of socket.expectedRooms) audience.set(room, (audience.get(room) ?? 0) + 1);
  }
  const expected = accepted.reduce(
    (sum, sender) => sum + sender.seqs.length * (audience.get(sender.roomId) ?? 0),
    0,
  );
  await waitForDeliveries(ctx, expected);
  const cpu = window.stop();
  const rss = ctx.serverRss();

  const [progress, verified] = await Promise.all([
    ctx.agents.progress(),
    ctx.agents.verify(accepted),
  ]);
  await ctx.agents.closeSockets();

  const latency = new Histogram();
  for (const v of verified) latency.merge(v.latency);
  const ackLatency = new Histogram();
  for (const s of sent) ackLatency.merge(s.ackLatency);
  const sum = <T>(items: T[], pick: (item: T) => number) =>
    items.reduce((total, item) => total + pick(item), 0);

  const messages = sum(accepted, (a) => a.seqs.length);
  const deliveries = sum(progress, (p) => p.deliveries);
  const events = sum(progress, (p) => p.events);
  const firstSendUs = Math.min(...sent.map((s) => s.firstSendUs || Infinity));
  const lastSendUs = Math.max(...sent.map((s) => s.lastSendUs));
  const lastDeliveryUs = Math.max(...progress.map((p) => p.lastDeliveryUs));
  const refused: Record<string, number> = {};
  for (const s of sent) {
    for (const [code, count] of Object.entries(s.refused)) {
      refused[code] = (refused[code] ?? 0) + count;
    }
  }
  const sendWindowS = Math.max(1e-3, (lastSendUs - firstSendUs) / 1e6);
  const deliveryWindowS = Math.max(1e-3, (lastDeliveryUs - firstSendUs) / 1e6);
  const { serverCpuS, ...split } = cpu;
  const loopDelay = {
    p99: Math.max(...sent.map((s) => s.loopDelayMs.p99)),
    max: Math.max(...sent.map((s) => s.loopDelayMs.max)),
  };

  return {
    scenario,
    instances: ctx.deployment.urls.length,
    batch: ctx.options.batch,
    users: params.users,
    tabs: scenario === 'general' ? ctx.options.general.tabs : 1,
    sockets: plan.sockets.length,
    senders,
    rooms: plan.rooms,
    offeredRate: params.rate,
    durationS: params.durationS,
    messages,
    refused,
    unacked: sum(sent, (s) => s.unacked),
    messagesPerS: roundTo(messages / sendWindowS, 1),
    deliveries,
    deliveriesPerS: roundTo(deliveries / deliveryWindowS, 1),
    eventsPerDelivery: roundTo(deliveries ? events / deliveries : 0, 3),
    expectedDeliveries: sum(verified, (v) => v.expected),
    lost: sum(verified, (v) => v.lost),
    duplicates: sum(verified, (v) => v.duplicates),
    leaks: sum(verified, (v) => v.leaks),
    misrouted: sum(verified, (v) => v.misrouted),
    unaccepted: sum(verified, (v) => v.unaccepted),
    disconnects: sum(verified, (v) => v.disconnects),
    latencyMs: latency.summaryMs(),
    ackLatencyMs: ackLatency.summaryMs(),
    loadGeneratorLoopDelayMs: loopDelay,
    loadGeneratorLagging:
      loopDelay.p99 > LOAD_GENERATOR_LAG_LIMIT_MS ||
      messages / params.durationS < OFFERED_RATE_SHARE_KEPT * params.rate,
    serverCpuUsPerMessage: messages ? roundTo((serverCpuS * 1e6) / messages, 1) : 0,
    serverCpuUsPerDelivery: deliveries ? roundTo((serverCpuS * 1e6) / deliveries, 2) : 0,
    serverIdleCores: roundTo(serverIdleCores, 3),
    serverCpuUsPerDeliveryAboveIdle: deliveries
      ? roundTo((Math.max(0, serverCpuS - serverIdleCores * cpu.wallS) * 1e6) / deliveries, 2)
      : 0,
    serverRssMB: roundTo(rss / 2 ** 20, 1),
    cpu: split,
  };
}
