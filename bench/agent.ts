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
import {
  type AcceptedBySender,
  type AgentEnvelope,
  type AgentReply,
  type AgentRequest,
  type OpenResult,
  type ProgressResult,
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

const CONNECT_TIMEOUT_MS = 30_000;
/** This agent's event-loop lag all along: the main process asks for each measurement window. */
const loopLag = new LoopLagRecorder().start();
const PACING_TICK_MS = 2;

interface Receipts {
  /** Per sender (user index), how many times each sequence number arrived. */
  bySender: Map<number, Uint8Array>;
}

interface AgentSocket {
  spec: SocketSpec;
  socket: Socket;
  allowed: Set<string>;
  receipts: Receipts;
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

function resetCounters() {
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

function record(state: AgentSocket, message: ChatMessage, nowUs: number) {
  deliveries++;
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
  if (seen < 255) counts[stamp.seq] = seen + 1;
  if (seen === 0) latency.record(nowUs - stamp.sentAtUs);
}

function openOne(spec: SocketSpec, listen: boolean): Promise<AgentSocket> {
  const socket = io(spec.url, {
    transports: ['websocket'],
    extraHeaders: { cookie: spec.cookie },
    forceNew: true,
    reconnection: false,
    timeout: CONNECT_TIMEOUT_MS,
    ...(spec.batch ? { auth: { messageBatch: true } } : {}),
  });
  const state: AgentSocket = {
    spec,
    socket,
    allowed: new Set(spec.allowedRooms),
    receipts: { bySender: new Map() },
  };
  if (listen) {
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
    socket.once('connect', () => {
      socket.on('disconnect', (reason) => {
        if (reason !== 'io client disconnect') disconnects++;
      });
      done(state);
    });
    socket.once('connect_error', (error) => {
      socket.close();
      fail(error);
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
        firstSendUs,
        lastSendUs,
      });
    };
    const sendOne = (plan: (typeof plans)[number]) => {
      const seq = plan.seq++;
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
        const count = counts?.[seq] ?? 0;
        if (count === 0) lost++;
        else duplicates += count - 1;
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
