/**
 * The load generator's own event-loop lag, kept as a timeline so that any measurement window can
 * ask afterwards how late its loop ran: a timer due every 10 ms records how late it fired, with
 * the time (the machine's monotonic clock, which the bench's processes share). The bench process
 * and every agent keep one; a window's lag is the worst of them.
 */
import { monotonicUs } from './agent-protocol.js';

const EVERY_MS = 10;
/** An hour of samples: longer than any bench run's measurement windows reach back. */
const CAPACITY = (3600 * 1000) / EVERY_MS;

export interface LagSummary {
  /** Of the delays sampled in the window (ms): the 99th percentile and the worst. */
  p99: number;
  max: number;
}

export class LoopLagRecorder {
  private readonly at = new Float64Array(CAPACITY);
  private readonly lateMs = new Float32Array(CAPACITY);
  private written = 0;
  private timer: NodeJS.Timeout | null = null;

  start(): this {
    let due = performance.now() + EVERY_MS;
    const tick = () => {
      const now = performance.now();
      const slot = this.written % CAPACITY;
      this.at[slot] = monotonicUs();
      this.lateMs[slot] = Math.max(0, now - due);
      this.written++;
      due = now + EVERY_MS;
      this.timer = setTimeout(tick, EVERY_MS).unref();
    };
    this.timer = setTimeout(tick, EVERY_MS).unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The lag between two monotonic times (µs); null when no sample fell between them. */
  summary(fromUs: number, toUs: number): LagSummary | null {
    const delays: number[] = [];
    for (let i = Math.max(0, this.written - CAPACITY); i < this.written; i++) {
      const slot = i % CAPACITY;
      const at = this.at[slot] as number;
      if (at >= fromUs && at <= toUs) delays.push(this.lateMs[slot] as number);
    }
    if (delays.length === 0) return null;
    delays.sort((a, b) => a - b);
    const p99 = delays[Math.min(delays.length - 1, Math.ceil(delays.length * 0.99) - 1)] ?? 0;
    const round = (ms: number) => Math.round(ms * 100) / 100;
    return { p99: round(p99), max: round(delays.at(-1) ?? 0) };
  }
}

/** The worst of several processes' lags over the same window. */
export function worstLag(summaries: (LagSummary | null)[]): LagSummary | null {
  const known = summaries.filter((s): s is LagSummary => s !== null);
  if (known.length === 0) return null;
  return {
    p99: Math.max(...known.map((s) => s.p99)),
    max: Math.max(...known.map((s) => s.max)),
  };
}
