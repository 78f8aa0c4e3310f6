/**
 * What the bench's main process and its load-generator processes (agents) say to each other over
 * the IPC channel: requests carry an id, and every request gets exactly one reply with that id.
 */
import type { HistogramData } from './histogram.js';

/** One socket an agent opens: which user, on which instance, and what it may receive. */
export interface SocketSpec {
  /** Index of the socket in the whole run (unique across agents). */
  key: number;
  /** Index of the user in the bench's user list; messages name their sender by it. */
  userIndex: number;
  url: string;
  cookie: string;
  /** Rooms this socket is allowed to see; a message from any other room is a leak. */
  allowedRooms: string[];
  /** Rooms whose every accepted message this socket must receive exactly once. */
  expectedRooms: string[];
  /**
   * Opt in to `message.batch` and `user.presence` batches (this project's protocol extensions),
   * as the web client does.
   */
  batch: boolean;
  /**
   * Reconnect by itself after a lost connection, with the web client's delays, and then catch
   * up as the web client does: per expected room, the messages after the newest one held
   * (`GET /room/:id/messages?after=`), starting from these ids (the rooms' newest at opening).
   */
  reconnect?: { catchUpAfter: Record<string, string> };
}

export interface SenderSpec {
  /** The socket (by key, on this agent) that sends. */
  socketKey: number;
  roomId: string;
  ratePerS: number;
}

/** Per sender, the sequence numbers of the messages the server accepted (acked ok). */
export interface AcceptedBySender {
  userIndex: number;
  roomId: string;
  seqs: number[];
}

export type AgentRequest =
  | {
      type: 'open';
      sockets: SocketSpec[];
      /** Listen to messages (false for idle-connection runs: nothing is recorded). */
      listen: boolean;
      concurrency: number;
    }
  | { type: 'send'; senders: SenderSpec[]; durationMs: number; ackTimeoutMs: number }
  | { type: 'progress' }
  | { type: 'verify'; accepted: AcceptedBySender[] }
  /** The agent's event-loop lag between two monotonic times (µs): a LagSummary or null. */
  | { type: 'lag'; fromUs: number; toUs: number }
  /** Forgets what the sockets received, keeping them open: the next send starts at seq 0. */
  | { type: 'forget' }
  /** Cuts the connection of the sockets with a key below `keysBelow`, as a lost network would. */
  | { type: 'drop'; keysBelow: number }
  /**
   * How far the sockets with a key below `keysBelow` are in reconnecting since `sinceUs`; with
   * `times`, each socket's times.
   */
  | { type: 'reconnects'; sinceUs: number; keysBelow: number; times: boolean }
  | { type: 'close' };

export interface OpenResult {
  opened: number;
  failed: number;
  firstError: string | null;
  ms: number;
}

export interface SendResult {
  /** Messages sent, per sender. */
  sent: number;
  accepted: AcceptedBySender[];
  /** Refusals by error code, and sends whose ack never came. */
  refused: Record<string, number>;
  unacked: number;
  ackLatency: HistogramData;
  /**
   * How late this agent's event loop ran while sending (p99 and max, ms): when the load generator
   * itself lags, the latencies it measures include that lag.
   */
  loopDelayMs: { p99: number; max: number };
  /** Sends skipped because the socket was offline (the web client refuses those too). */
  offline: number;
  /** First and last send, on the shared monotonic clock (µs). */
  firstSendUs: number;
  lastSendUs: number;
}

export interface ProgressResult {
  /** Messages received by all sockets of this agent (duplicates included). */
  deliveries: number;
  /** When the last one arrived (monotonic µs), 0 if none. */
  lastDeliveryUs: number;
  /** Socket.IO frames that carried those deliveries (less than deliveries when batched). */
  events: number;
}

export interface ReconnectsResult {
  sockets: number;
  /** Sockets connected again since `sinceUs`, and of those, how many have caught up. */
  connected: number;
  caughtUp: number;
  /** With `times`: per socket (any order), when it connected again and caught up (µs, 0: not). */
  connectedAtUs: number[];
  caughtUpAtUs: number[];
  catchUpRequests: number;
  /** Messages that only the catch-up brought (the live events had missed them). */
  caughtUpMessages: number;
  catchUpFailures: number;
  /** Presence frames received (`user.connected`, `user.disconnected`, `user.presence`). */
  presenceFrames: number;
  /** Presence changes those frames carried (a `user.presence` batch carries several). */
  presenceChanges: number;
}

export interface VerifyResult {
  /** Deliveries that should have happened (accepted messages × sockets expecting them). */
  expected: number;
  /** Of those, how many never arrived. */
  lost: number;
  /** Extra copies of a message on a socket that already had it. */
  duplicates: number;
  /** Messages from a room the socket may not see. */
  leaks: number;
  /** A bench message whose roomId differs from the room it was sent to. */
  misrouted: number;
  /** Delivered though the server refused it or never acked it. */
  unaccepted: number;
  /** Sockets that dropped during the scenario (each may have lost messages). */
  disconnects: number;
  latency: HistogramData;
}

export type AgentReply =
  { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export type AgentEnvelope = { id: number; request: AgentRequest };

/** The text of a bench message: sender, sequence number, send time (µs) and intended room. */
export function benchText(userIndex: number, seq: number, roomId: string, sentAtUs: number) {
  return `${BENCH_PREFIX}${userIndex} ${seq} ${Math.round(sentAtUs)} ${roomId}`;
}

const BENCH_PREFIX = 'bench ';

/** What a receiver reads from a bench message. */
export interface BenchStamp {
  userIndex: number;
  seq: number;
  sentAtUs: number;
  /** Where the intended room id starts in the text. */
  roomAt: number;
}

/**
 * Reads a bench message into `into` without allocating: an agent reads up to ~10^5 of them a
 * second, and this runs on the same cores as the server it measures. False for other texts.
 */
export function readBenchText(text: string, into: BenchStamp): boolean {
  if (!text.startsWith(BENCH_PREFIX)) return false;
  let at = BENCH_PREFIX.length;
  const readUint = () => {
    let value = 0;
    const start = at;
    for (; at < text.length; at++) {
      const digit = text.charCodeAt(at) - 48;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
    }
    if (at === start || text.charCodeAt(at) !== 32) return -1;
    at++; // the space
    return value;
  };
  into.userIndex = readUint();
  into.seq = readUint();
  into.sentAtUs = readUint();
  into.roomAt = at;
  return into.userIndex >= 0 && into.seq >= 0 && into.sentAtUs >= 0;
}

/** Whether the room named at the end of a bench message is `roomId`. */
export const benchRoomIs = (text: string, stamp: BenchStamp, roomId: string) =>
  text.length - stamp.roomAt === roomId.length && text.startsWith(roomId, stamp.roomAt);

/** Microseconds on the monotonic clock, which every process on the machine shares. */
export const monotonicUs = () => Number(process.hrtime.bigint()) / 1000;
