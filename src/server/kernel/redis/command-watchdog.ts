/**
 * Deadlines for Redis round trips with one timer per client instead of one per command.
 *
 * node-redis 6 gives each command its own `AbortSignal.timeout` (a timer, an event listener and,
 * when it fires, a DOMException), and removes it once the command is written, so it neither covers
 * the wait for the reply nor comes cheap: profiled on a room list of 1,000 rooms (≈ 6,000
 * commands) it cost more than the commands themselves. Here each round trip is an entry in a
 * FIFO; since every entry of a client gets the same timeout, deadlines are in order and a single
 * timer, armed for the oldest unanswered entry, finds every late one. Under steady traffic that
 * timer fires about once per timeout and finds the head answered long ago.
 */

interface Pending {
  deadline: number;
  settled: boolean;
  /** Null once settled: an answered entry waits in the FIFO until the next sweep (up to a
   * timeout), and its reject function would keep the promise, and so the reply, alive as long. */
  fail: ((error: Error) => void) | null;
}

/** Compacts the FIFO's array once this many answered entries sit at its head. */
const COMPACT_AFTER = 1024;

export class CommandWatchdog {
  private queue: Pending[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly timeoutMs: number,
    /** The error a late round trip fails with (the error mapper names it `unavailable`). */
    private readonly lateError: () => Error,
  ) {}

  /**
   * The reply, or a failure after the timeout if Redis has not answered by then. A reply that
   * comes later is dropped; node-redis still reads it, so the connection stays in step.
   */
  guard<T>(reply: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = {
        deadline: performance.now() + this.timeoutMs,
        settled: false,
        fail: reject,
      };
      this.queue.push(entry);
      this.timer ??= this.arm(this.timeoutMs);
      reply.then(
        (value) => {
          entry.settled = true;
          entry.fail = null;
          resolve(value);
        },
        (error: unknown) => {
          entry.settled = true;
          entry.fail = null;
          reject(error as Error);
        },
      );
    });
  }

  /** Fails every late entry, forgets answered ones, and re-arms for the oldest one left. */
  private readonly sweep = () => {
    this.timer = null;
    const now = performance.now();
    const { queue } = this;
    while (this.head < queue.length) {
      const entry = queue[this.head] as Pending;
      if (!entry.settled) {
        if (entry.deadline > now) break;
        entry.settled = true;
        entry.fail?.(this.lateError());
        entry.fail = null;
      }
      this.head++;
    }
    if (this.head === queue.length) {
      this.queue = [];
      this.head = 0;
      return;
    }
    if (this.head >= COMPACT_AFTER) {
      this.queue = queue.slice(this.head);
      this.head = 0;
    }
    const oldest = this.queue[this.head] as Pending;
    this.timer = this.arm(Math.max(1, oldest.deadline - now));
  };

  /** The timer does not keep the process alive: a connection waiting for a reply does. */
  private arm(ms: number): NodeJS.Timeout {
    const timer = setTimeout(this.sweep, ms);
    timer.unref();
    return timer;
  }

  /** Stops the timer (the client is closing); entries still waiting fail with the client. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
