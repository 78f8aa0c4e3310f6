/**
 * A load-generator process. It holds a share of the bench's sockets, sends at the rate it is told
 * and checks every message it receives: which room it came from (leaks), whether the socket
 * already had it (duplicates), and how long it took from the sender's stamp (latency). The main
 * process asks it for the missing ones at the end (loss). Separate processes let the load
 * generator use its own cores and keep its CPU apart from the server's in the figures.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import type { ChatMessage } from '../src/protocol/models.js';
import { compareMessageIds } from '../src/web/core/lib/message-order.js';
import {
  type AcceptedBySender,
  type AgentEnvelope,
  type AgentReply,
  type AgentRequest,
  type OpenResult,
  type ProgressResult,
  type ReconnectsResult,
  type SendResult,
  type SenderSpec,
  type SocketSpec,
  type VerifyResult,
  type BenchStamp,
  benchRoomIs,
  benchText,
  monotonicUs,
  readBenchText,
} from './agent-protocol.js';
import { Histogram } from './histogram.js';
import { LoopLagRecorder } from './loop-lag.js';
import { request as httpRequest } from './http.js';

const CONNECT_TIMEOUT_MS = 30_000;
/** This agent's event-loop lag all along: the main process asks for each measurement window. */
const loopLag = new LoopLagRecorder().start();
const PACING_TICK_MS = 2;
/** The web client's reconnection delays (src/web/core/transport/socket.ts) and catch-up page. */
const RECONNECTION_DELAY_MS = 500;
const RECONNECTION_DELAY_MAX_MS = 4000;
const CATCH_UP_PAGE_SIZE = 100;

interface Receipts {
  /** Per sender (user index), how many times each sequence number arrived. */
  bySender: Map<number, Uint8Array>;
}

interface AgentSocket {
  spec: SocketSpec;
  socket: Socket;
  allowed: Set<string>;
  receipts: Receipts;
  /** Per room, the newest message id this socket holds: where a catch-up starts. */
  newest: Map<string, string>;
  /** Monotonic µs of the latest reconnect, and of the catch-up that followed it (0: none). */
  connectedAtUs: number;
  caughtUpAtUs: number;
}

type AckReply = { ok: true; message: ChatMessage } | { ok: false; error: { code: string } };

const sockets = new Map<number, AgentSocket>();
let latency = new Histogram();
let deliveries = 0;
let events = 0;
let lastDeliveryUs = 0;
let leaks = 0;
let misrouted = 0;
let disconnects = 0;
let catchUpRequests = 0;
let caughtUpMessages = 0;
let catchUpFailures = 0;
let presenceFrames = 0;
let presenceChanges = 0;

function resetCounters() {
  catchUpRequests = 0;
  caughtUpMessages = 0;
  catchUpFailures = 0;
  presenceFrames = 0;
  presenceChanges = 0;
  latency = new Histogram();
  deliveries = 0;
  events = 0;
  lastDeliveryUs = 0;
  leaks = 0;
  misrouted = 0;
  disconnects = 0;
}

/** Reused for every message: record() must not allocate. */
const stamp: BenchStamp = { userIndex: 0, seq: 0, sentAtUs: 0, roomAt: 0 };

function noteNewest(state: AgentSocket, message: ChatMessage) {
  const held = state.newest.get(message.roomId);
  if (!held || compareMessageIds(message.id, held) > 0)
    state.newest.set(message.roomId, message.id);
}

/**
 * A receipt is one byte per message: how many times it came live (low bits), and whether a
 * catch-up brought it. A live copy of a message a catch-up brought just before is no duplicate:
 * the web client merges them by id, as the bench does.
 */
const LIVE_COPIES = 0x7f;
const CAUGHT_UP = 0x80;

function record(state: AgentSocket, message: ChatMessage, nowUs: number, fromCatchUp = false) {
  deliveries++;
  if (state.spec.reconnect) noteNewest(state, message);
  lastDeliveryUs = nowUs;
  if (!readBenchText(message.message, stamp)) return;
  if (!state.allowed.has(message.roomId)) leaks++;
  if (!benchRoomIs(message.message, stamp, message.roomId)) misrouted++;
  let counts = state.receipts.bySender.get(stamp.userIndex);
  if (!counts || counts.length <= stamp.seq) {
    const grown = new Uint8Array(Math.max(64, (stamp.seq + 1) * 2));
    if (counts) grown.set(counts);
    counts = grown;
    state.receipts.bySender.set(stamp.userIndex, counts);
  }
  const seen = counts[stamp.seq] ?? 0;
  if (fromCatchUp) counts[stamp.seq] = seen | CAUGHT_UP;
  else if ((seen & LIVE_COPIES) < LIVE_COPIES) counts[stamp.seq] = seen + 1;
  if (seen === 0 && !fromCatchUp) latency.record(nowUs - stamp.sentAtUs);
}

/** Whether this socket already has a bench message (a catch-up merges by id, as the web client). */
function alreadyHas(state: AgentSocket, message: ChatMessage): boolean {
  if (!readBenchText(message.message, stamp)) return true;
  return (state.receipts.bySender.get(stamp.userIndex)?.[stamp.seq] ?? 0) > 0;
}

/**
 * What the web client does after a reconnect (MessagesEffects.catchUp): per room, pages of the
 * messages after the newest one it holds, oldest first, until a page is not full.
 */
async function catchUp(state: AgentSocket): Promise<void> {
  const { spec } = state;
  const connectedAtUs = state.connectedAtUs;
  // Where each room starts, taken now: a live message arriving meanwhile must not move it on.
  const starts = spec.expectedRooms.map(
    (roomId) => [roomId, state.newest.get(roomId) ?? spec.reconnect?.catchUpAfter[roomId]] as const,
  );
  try {
    for (const [roomId, start] of starts) {
      let after = start;
      if (!after) throw new Error(`no message to catch up after in room ${roomId}`);
      for (;;) {
        catchUpRequests++;
        const query = `after=${encodeURIComponent(after)}&size=${CATCH_UP_PAGE_SIZE}`;
        const answer = await httpRequest(
          'GET',
          `${spec.url}/room/${encodeURIComponent(roomId)}/messages?${query}`,
          { cookie: spec.cookie },
        );
        if (answer.status !== 200) throw new Error(`catch-up answered ${answer.status}`);
        const missed = JSON.parse(answer.body) as ChatMessage[];
        const nowUs = monotonicUs();
        for (const message of missed) {
          if (alreadyHas(state, message)) continue;
          caughtUpMessages++;
          record(state, message, nowUs, true);
        }
        const last = missed.at(-1);
        if (!last || missed.length < CATCH_UP_PAGE_SIZE) break;
        after = last.id;
      }
    }
    // A newer reconnect started its own catch-up meanwhile: that one counts.
    if (state.connectedAtUs === connectedAtUs) state.caughtUpAtUs = monotonicUs();
  } catch {
    // Offline again (or the server refused): the next reconnect starts over, as in the web client.
    catchUpFailures++;
  }
}

function openOne(spec: SocketSpec, listen: boolean): Promise<AgentSocket> {
  const socket = io(spec.url, {
    transports: ['websocket'],
    extraHeaders: { cookie: spec.cookie },
    forceNew: true,
    timeout: CONNECT_TIMEOUT_MS,
    ...(spec.reconnect
      ? {
          reconnection: true,
          reconnectionDelay: RECONNECTION_DELAY_MS,
          reconnectionDelayMax: RECONNECTION_DELAY_MAX_MS,
        }
      : { reconnection: false }),
    ...(spec.batch ? { auth: { messageBatch: true, presenceBatch: true } } : {}),
  });
  const state: AgentSocket = {
    spec,
    socket,
    allowed: new Set(spec.allowedRooms),
    receipts: { bySender: new Map() },
    newest: new Map(),
    connectedAtUs: 0,
    caughtUpAtUs: 0,
  };
  if (listen) {
    socket.on('user.connected', () => {
      presenceFrames++;
      presenceChanges++;
    });
    socket.on('user.disconnected', () => {
      presenceFrames++;
      presenceChanges++;
    });
    socket.on('user.presence', (users: unknown[]) => {
      presenceFrames++;
      presenceChanges += users.length;
    });
    socket.on('message', (message: ChatMessage) => {
      events++;
      record(state, message, monotonicUs());
    });
    socket.on('message.batch', (messages: ChatMessage[]) => {
      events++;
      const now = monotonicUs();
      for (const message of messages) record(state, message, now);
    });
  }
  return new Promise((done, fail) => {
    const failToOpen = (error: Error) => {
      socket.close();
      fail(error);
    };
    socket.once('connect_error', failToOpen);
    socket.once('connect', () => {
      // Once open, a failed reconnect is Socket.IO's to retry, not a reason to give up.
      socket.off('connect_error', failToOpen);
      socket.on('disconnect', (reason) => {
        if (reason !== 'io client disconnect') disconnects++;
      });
      if (spec.reconnect) {
        // Every later 'connect' is a reconnect: catch up on what the room got meanwhile.
        socket.on('connect', () => {
          state.connectedAtUs = monotonicUs();
          state.caughtUpAtUs = 0;
          void catchUp(state);
        });
      }
      done(state);
    });
  });
}

async function open(
  specs: SocketSpec[],
  listen: boolean,
  concurrency: number,
): Promise<OpenResult> {
  const started = performance.now();
  let next = 0;
  let failed = 0;
  let firstError: string | null = null;
  const worker = async () => {
    while (next < specs.length) {
      const spec = specs[next++];
      if (!spec) break;
      try {
        sockets.set(spec.key, await openOne(spec, listen));
      } catch (error) {
        failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return { opened: specs.length - failed, failed, firstError, ms: performance.now() - started };
}

function send(
  senders: SenderSpec[],
  durationMs: number,
  ackTimeoutMs: number,
): Promise<SendResult> {
  const ackLatency = new Histogram();
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const stopLoopMonitor = () => {
    loopDelay.disable();
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    return { p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) };
  };
  const refused: Record<string, number> = {};
  let unacked = 0;
  let offline = 0;
  let sent = 0;
  let pending = 0;
  let firstSendUs = 0;
  let lastSendUs = 0;
  const plans = senders.map((spec) => {
    const state = sockets.get(spec.socketKey);
    if (!state) throw new Error(`no socket ${spec.socketKey} on this agent`);
    return {
      spec,
      state,
      // A random phase, so that senders do not all fire on the same tick.
      phase: Math.random(),
      seq: 0,
      accepted: [] as number[],
    };
  });

  return new Promise((done) => {
    let pacingOver = false;
    const finishIfDone = () => {
      if (!pacingOver || pending > 0) return;
      const accepted: AcceptedBySender[] = plans.map((plan) => ({
        userIndex: plan.state.spec.userIndex,
        roomId: plan.spec.roomId,
        seqs: plan.accepted.sort((a, b) => a - b),
      }));
      done({
        sent,
        accepted,
        refused,
        unacked,
        ackLatency: ackLatency.toJSON(),
        loopDelayMs: stopLoopMonitor(),
        offline,
        firstSendUs,
        lastSendUs,
      });
    };
    const sendOne = (plan: (typeof plans)[number]) => {
      const seq = plan.seq++;
      // Socket.IO would buffer it and send it on reconnect; the web client calls it unsent.
      if (!plan.state.socket.connected) {
        offline++;
        return;
      }
      const sentAtUs = monotonicUs();
      if (firstSendUs === 0) firstSendUs = sentAtUs;
      lastSendUs = sentAtUs;
      sent++;
      pending++;
      const text = benchText(plan.state.spec.userIndex, seq, plan.spec.roomId, sentAtUs);
      plan.state.socket
        .timeout(ackTimeoutMs)
        .emit(
          'message',
          { roomId: plan.spec.roomId, message: text },
          (error: unknown, reply: AckReply) => {
            pending--;
            if (error) unacked++;
            else if (reply.ok) {
              plan.accepted.push(seq);
              ackLatency.record(monotonicUs() - sentAtUs);
            } else {
              refused[reply.error.code] = (refused[reply.error.code] ?? 0) + 1;
            }
            finishIfDone();
          },
        );
    };
    const startUs = monotonicUs();
    const timer = setInterval(() => {
      const elapsedS = Math.min(durationMs, (monotonicUs() - startUs) / 1000) / 1000;
      for (const plan of plans) {
        const due = Math.floor(elapsedS * plan.spec.ratePerS + plan.phase);
        while (plan.seq < due) sendOne(plan);
      }
      if (elapsedS * 1000 >= durationMs) {
        clearInterval(timer);
        pacingOver = true;
        finishIfDone();
      }
    }, PACING_TICK_MS);
  });
}

function verify(accepted: AcceptedBySender[]): VerifyResult {
  let expected = 0;
  let lost = 0;
  let duplicates = 0;
  let unaccepted = 0;
  for (const state of sockets.values()) {
    const expectedRooms = new Set(state.spec.expectedRooms);
    const acceptedSeqs = new Map<number, Set<number>>();
    for (const sender of accepted) {
      if (!expectedRooms.has(sender.roomId)) continue;
      acceptedSeqs.set(sender.userIndex, new Set(sender.seqs));
      const counts = state.receipts.bySender.get(sender.userIndex);
      for (const seq of sender.seqs) {
        expected++;
        const receipt = counts?.[seq] ?? 0;
        const live = receipt & LIVE_COPIES;
        if (receipt === 0) lost++;
        else if (live > 1) duplicates += live - 1;
      }
    }
    for (const [userIndex, counts] of state.receipts.bySender) {
      const seqs = acceptedSeqs.get(userIndex);
      if (!seqs) continue;
      counts.forEach((count, seq) => {
        if (count > 0 && !seqs.has(seq)) unaccepted++;
      });
    }
  }
  return {
    expected,
    lost,
    duplicates,
    leaks,
    misrouted,
    unaccepted,
    disconnects,
    latency: latency.toJSON(),
  };
}

/** Closes each socket's transport as a lost network would: Socket.IO reconnects by itself. */
function drop(keysBelow: number): number {
  let dropped = 0;
  for (const [key, { socket }] of sockets) {
    if (key >= keysBelow) continue;
    socket.io.engine?.close();
    dropped++;
  }
  return dropped;
}

function reconnects(sinceUs: number, keysBelow: number, times: boolean): ReconnectsResult {
  let counted = 0;
  let connected = 0;
  let caughtUp = 0;
  const connectedAtUs: number[] = [];
  const caughtUpAtUs: number[] = [];
  for (const [key, state] of sockets) {
    if (key >= keysBelow) continue;
    counted++;
    const back = state.socket.connected && state.connectedAtUs >= sinceUs;
    if (back) connected++;
    if (back && state.caughtUpAtUs > 0) caughtUp++;
    if (times) {
      connectedAtUs.push(state.connectedAtUs >= sinceUs ? state.connectedAtUs : 0);
      caughtUpAtUs.push(state.connectedAtUs >= sinceUs ? state.caughtUpAtUs : 0);
    }
  }
  return {
    sockets: counted,
    connected,
    caughtUp,
    connectedAtUs,
    caughtUpAtUs,
    catchUpRequests,
    caughtUpMessages,
    catchUpFailures,
    presenceFrames,
    presenceChanges,
  };
}

function forget(): void {
  for (const state of sockets.values()) state.receipts.bySender.clear();
  resetCounters();
}

async function close(): Promise<void> {
  for (const { socket } of sockets.values()) socket.close();
  sockets.clear();
  resetCounters();
}

async function handle(request: AgentRequest): Promise<unknown> {
  switch (request.type) {
    case 'open':
      return open(request.sockets, request.listen, request.concurrency);
    case 'send':
      return send(request.senders, request.durationMs, request.ackTimeoutMs);
    case 'progress':
      return { deliveries, lastDeliveryUs, events } satisfies ProgressResult;
    case 'verify':
      return verify(request.accepted);
    case 'forget':
      return forget();
    case 'drop':
      return drop(request.keysBelow);
    case 'reconnects':
      return reconnects(request.sinceUs, request.keysBelow, request.times);
    case 'close':
      return close();
    case 'lag':
      return loopLag.summary(request.fromUs, request.toUs);
  }
}

process.on('message', (envelope: AgentEnvelope) => {
  handle(envelope.request).then(
    (result) => process.send?.({ id: envelope.id, ok: true, result } satisfies AgentReply),
    (error: unknown) =>
      process.send?.({
        id: envelope.id,
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies AgentReply),
  );
});
// The parent going away ends the agent too.
process.on('disconnect', () => process.exit(0));
