/**
 * Many rooms per user: for each step (10, 100, 1,000 rooms by default) a fresh user creates that
 * many group rooms through POST /rooms, then the scenario times what grows with them:
 *
 * - the room list, GET /rooms/:userId (names, newest message, unread counts of every room),
 *   requested one at a time: latency percentiles and server CPU per request;
 * - connecting a socket (the server makes it follow every room at connection): time to `connect`;
 * - the memory of a socket: the servers' growth over `--rooms-sockets` sockets of that user, in
 *   JavaScript heap and external memory after a full GC (servers the bench started run with an
 *   inspector for it), and in RSS (noisy: it holds whatever garbage was not yet collected).
 *
 * Every room gets one message so that its newest message and unread count are real reads.
 */
import { io, type Socket } from 'socket.io-client';
import { type BenchContext, type CpuSplit, roundTo } from '../context.js';
import type { ServerMemory } from '../inspector.js';
import { Histogram, type LatencySummary } from '../histogram.js';
import { type BenchUser, inParallel, request, signIn } from '../http.js';

const CREATE_CONCURRENCY = 8;
const CONNECT_SAMPLES = 20;
const WARM_UP_REQUESTS = 10;

export interface RoomsStep {
  rooms: number;
  createS: number;
  /** Rooms the list answered with (General included). */
  listed: number;
  listBytes: number;
  listMs: LatencySummary;
  serverCpuUsPerList: number;
  connectMs: LatencySummary;
  sockets: number;
  /** Servers' RSS growth per socket of a user in this many rooms (before any GC: noisy). */
  rssKBPerSocket: number;
  /** Servers' heap growth per socket, after a full GC; null without the servers' inspector. */
  heapKBPerSocket: number | null;
  /** Servers' external memory growth per socket (buffers), after a full GC; null likewise. */
  externalKBPerSocket: number | null;
  cpu: CpuSplit;
}

export interface RoomsResult {
  scenario: 'rooms';
  instances: number;
  requests: number;
  steps: RoomsStep[];
}

function openSocket(user: BenchUser): Promise<Socket> {
  const socket = io(user.url, {
    extraHeaders: { cookie: user.cookie },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((done, fail) => {
    socket.once('connect', () => done(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      fail(error);
    });
  });
}

async function createRooms(ctx: BenchContext, user: BenchUser, count: number): Promise<void> {
  const names = Array.from({ length: count }, (_, i) => `r${ctx.runId}u${user.id}n${i}`);
  const ids = await inParallel(names, CREATE_CONCURRENCY, async (name) => {
    const created = await request('POST', `${user.url}/rooms`, {
      body: { name },
      cookie: user.cookie,
    });
    if (created.status !== 201) {
      throw new Error(`POST /rooms answered ${created.status} ${created.body}`);
    }
    return (JSON.parse(created.body) as { id: string }).id;
  });
  // A socket opened now follows every room: one message in each.
  const socket = await openSocket(user);
  try {
    await inParallel(ids, CREATE_CONCURRENCY, async (roomId) => {
      const ack = (await socket
        .timeout(10_000)
        .emitWithAck('message', { roomId, message: 'first' })) as { ok: boolean };
      if (!ack.ok) throw new Error(`posting in room ${roomId} was refused`);
    });
  } finally {
    socket.close();
  }
}

async function step(ctx: BenchContext, rooms: number): Promise<RoomsStep> {
  const { requests, sockets: socketCount } = ctx.options.rooms;
  const url = ctx.deployment.urls[rooms % ctx.deployment.urls.length] as string;
  const user = await signIn(url, `rooms${ctx.runId}-${rooms}`, -rooms);

  const createStarted = performance.now();
  await createRooms(ctx, user, rooms);
  const createS = (performance.now() - createStarted) / 1000;

  const list = () => request('GET', `${user.url}/rooms/${user.id}`, { cookie: user.cookie });
  let listed = 0;
  let listBytes = 0;
  for (let i = 0; i < WARM_UP_REQUESTS; i++) {
    const answer = await list();
    if (answer.status !== 200) throw new Error(`GET /rooms answered ${answer.status}`);
    listed = (JSON.parse(answer.body) as unknown[]).length;
    listBytes = answer.body.length;
  }

  await ctx.settle();
  await ctx.waitForQuietMachine();
  const window = ctx.window(`rooms-${rooms}`);
  const listLatency = new Histogram();
  for (let i = 0; i < requests; i++) {
    const t0 = performance.now();
    const answer = await list();
    listLatency.record((performance.now() - t0) * 1000);
    if (answer.status !== 200) throw new Error(`GET /rooms answered ${answer.status}`);
  }
  const { serverCpuS, ...cpu } = window.stop();

  const connectLatency = new Histogram();
  for (let i = 0; i < CONNECT_SAMPLES; i++) {
    const t0 = performance.now();
    const socket = await openSocket(user);
    connectLatency.record((performance.now() - t0) * 1000);
    socket.close();
  }

  await ctx.settle();
  const memoryBefore = await ctx.deployment.memoryAfterGc?.();
  const before = ctx.serverRss();
  const open: Socket[] = [];
  try {
    for (let i = 0; i < socketCount; i++) open.push(await openSocket(user));
    await ctx.settle(2000);
    const after = ctx.serverRss();
    const memoryAfter = await ctx.deployment.memoryAfterGc?.();
    const perSocket = (pick: (memory: ServerMemory) => number) =>
      memoryBefore && memoryAfter
        ? roundTo((pick(memoryAfter) - pick(memoryBefore)) / 1024 / Math.max(1, open.length), 1)
        : null;
    return {
      rooms,
      createS: roundTo(createS, 2),
      listed,
      listBytes,
      listMs: listLatency.summaryMs(),
      serverCpuUsPerList: roundTo((serverCpuS * 1e6) / requests, 1),
      connectMs: connectLatency.summaryMs(),
      sockets: open.length,
      rssKBPerSocket: roundTo((after - before) / 1024 / Math.max(1, open.length), 1),
      heapKBPerSocket: perSocket((memory) => memory.heapUsed),
      externalKBPerSocket: perSocket((memory) => memory.external),
      cpu,
    };
  } finally {
    for (const socket of open) socket.close();
  }
}

export async function runRooms(ctx: BenchContext): Promise<RoomsResult> {
  const steps: RoomsStep[] = [];
  for (const rooms of ctx.options.rooms.counts) {
    console.error(`bench: rooms per user: ${rooms}...`);
    steps.push(await step(ctx, rooms));
  }
  return {
    scenario: 'rooms',
    instances: ctx.deployment.urls.length,
    requests: ctx.options.rooms.requests,
    steps,
  };
}
