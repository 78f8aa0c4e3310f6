/**
 * Write coalescing for WebSocket connections. Writing one frame to one socket costs a writev
 * system call (with loopback or NIC work in the kernel behind it), and under fan-out that call is
 * most of the server's CPU: a General-room message to 200 sockets is 200 of them. Here every
 * socket is corked at its first write, and what it is given until the flush leaves in one writev.
 * A socket that has been quiet is flushed at the end of the current event-loop turn (no added
 * latency; an ack and the message it answers leave together); one that was flushed less than a
 * window ago waits for the window to close, so a busy socket writes about once per window.
 *
 * It works below Engine.IO and Socket.IO, on the TCP socket of each upgraded connection, so every
 * client benefits, the seed's Engine.IO 3 clients included, and the frames themselves are the
 * same.
 */
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';

/** A flush interval short enough to stay far below what a person notices in a chat. */
export const DEFAULT_COALESCING_WINDOW_MS = 4;

interface SocketState {
  socket: Duplex;
  /** Corked by us, waiting for a flush. */
  held: boolean;
  /** When this socket was last flushed, performance.now(). */
  lastFlushAt: number;
}

export class WriteCoalescer {
  /** Quiet sockets, flushed at the end of the current event-loop turn. */
  private soon: SocketState[] = [];
  private immediate: NodeJS.Immediate | null = null;
  /** Busy sockets, flushed when the window closes. */
  private later: SocketState[] = [];
  private timer: NodeJS.Timeout | null = null;
  /**
   * True from a flush until the callbacks it triggers have run. Engine.IO sends one batch of
   * packets per socket at a time and queues the rest until that write completes (unless the
   * socket is corked, see sendIntoCorkedSockets), so packets queued behind a write still in the
   * kernel leave in its completion callback: they must not wait for another window.
   */
  private draining = false;
  private readonly endDrain = () => {
    this.draining = false;
  };

  constructor(readonly windowMs = DEFAULT_COALESCING_WINDOW_MS) {}

  /** Wraps the socket's write; from its second write on, writes are coalesced. */
  attach(socket: Duplex): void {
    const state: SocketState = { socket, held: false, lastFlushAt: -Infinity };
    const write = socket.write;
    let first = true;
    socket.write = ((...args: Parameters<Duplex['write']>) => {
      // The first write answers the upgrade (101, or an error right before destroy(), which
      // would drop anything still corked): it leaves at once.
      if (first) first = false;
      else if (!state.held) this.hold(state);
      return write.apply(socket, args);
    }) as Duplex['write'];
  }

  private hold(state: SocketState): void {
    state.held = true;
    state.socket.cork();
    if (this.draining || performance.now() - state.lastFlushAt >= this.windowMs) {
      // Quiet socket: what it gets in this turn (an ack and a message, say) leaves together,
      // without waiting.
      this.soon.push(state);
      this.immediate ??= setImmediate(this.flushSoon);
    } else {
      this.later.push(state);
      this.timer ??= setTimeout(this.flushLater, this.windowMs);
    }
  }

  private readonly flushSoon = (): void => {
    this.immediate = null;
    const states = this.soon;
    this.soon = [];
    this.uncork(states);
  };

  private readonly flushLater = (): void => {
    this.timer = null;
    const states = this.later;
    this.later = [];
    this.uncork(states);
  };

  private uncork(states: SocketState[]): void {
    const now = performance.now();
    for (const state of states) {
      state.held = false;
      state.lastFlushAt = now;
      // end() and destroy() have already uncorked or dropped what was pending.
      if (!state.socket.destroyed) state.socket.uncork();
    }
    // A write that completes at once calls back on the next tick; this one runs after those.
    this.draining = true;
    process.nextTick(this.endDrain);
  }

  /** Sends everything held now (at shutdown). */
  flushNow(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.flushLater();
    this.flushSoon();
  }
}

/**
 * Coalesces the writes of every WebSocket connection that the HTTP server upgrades on `path`
 * (Socket.IO's path). Returns the coalescer, whose flushNow() belongs in shutdown.
 */
export function coalesceWebSocketWrites(
  server: HttpServer,
  path: string,
  windowMs = DEFAULT_COALESCING_WINDOW_MS,
): WriteCoalescer {
  const coalescer = new WriteCoalescer(windowMs);
  const prefix = path.endsWith('/') ? path : `${path}/`;
  server.on('upgrade', (request: IncomingMessage, socket: Duplex) => {
    if (request.url?.startsWith(prefix)) coalescer.attach(socket);
  });
  return coalescer;
}

/** What this module touches of an Engine.IO transport (engine.io's Transport, ws underneath). */
interface EngineTransport {
  readonly name: string;
  writable: boolean;
  send(packets: unknown[]): void;
  /** The WebSocket transport's `ws` socket, whose `_socket` is the TCP socket. */
  readonly socket?: { readonly _socket?: Duplex };
}

/**
 * Lets Engine.IO hand a connection's packets to its TCP socket while that socket is corked here,
 * so that what a socket gets in one turn leaves in one write. Engine.IO sends one batch of packets
 * per connection at a time: after handing a batch to the WebSocket it marks the transport
 * unwritable and queues later packets until that batch's write completes. A corked socket's write
 * completes only at its flush, so a packet emitted after the first one of a turn (a message's ack
 * right after its echo to the sender) waited for the flush and then left in a write of its own: a
 * private message cost 3.26 writes where three would do (docs/performance.md, "The cost of one
 * message"). While the TCP socket is corked, a send only appends to the socket's buffer, so the
 * transport stays writable and later packets join the same write. The buffer is the one Engine.IO's
 * queue would have been (nothing more is held), the packets keep their order, and each batch still
 * reports its completion (Engine.IO's send callbacks) in order when its write completes. Once the
 * socket is flushed, Engine.IO waits for pending writes as before.
 */
export function sendIntoCorkedSockets(engine: EventEmitter): void {
  engine.on('connection', (connection: EventEmitter & { transport: EngineTransport }) => {
    keepWritableWhileCorked(connection.transport);
    // A client that starts with long-polling moves to a WebSocket transport later.
    connection.on('upgrade', keepWritableWhileCorked);
  });
}

/** Shared by every connection (no closure per socket). */
function keepWritableWhileCorked(transport: EngineTransport): void {
  if (transport.name === 'websocket') transport.send = sendKeepingWritable;
}

function sendKeepingWritable(this: EngineTransport, packets: unknown[]): void {
  (Object.getPrototypeOf(this) as EngineTransport).send.call(this, packets);
  // ws writes each frame synchronously (no compression here); uncorked, the write is under way
  // in the kernel and Engine.IO waits for it, as it always did.
  if ((this.socket?._socket?.writableCorked ?? 0) > 0) this.writable = true;
}
