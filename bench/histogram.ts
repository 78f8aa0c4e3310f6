/**
 * Latency histogram with logarithmic buckets 2 % wide: a few kilobytes whatever the number of
 * samples (a General-room run records millions of deliveries), mergeable across the
 * load-generator processes, and precise to 2 % at every percentile. The maximum is kept exactly.
 */

const RATIO = 1.02;
const LOG_RATIO = Math.log(RATIO);
/** Buckets up to 2^30 µs (about 18 minutes); anything longer lands in the last one. */
const BUCKETS = Math.ceil(Math.log(2 ** 30) / LOG_RATIO) + 1;

export interface HistogramData {
  counts: number[];
  count: number;
  maxUs: number;
  sumUs: number;
}

export class Histogram {
  private readonly counts = new Float64Array(BUCKETS);
  count = 0;
  maxUs = 0;
  sumUs = 0;

  record(us: number): void {
    const value = us < 1 ? 1 : us;
    const index = Math.min(BUCKETS - 1, Math.ceil(Math.log(value) / LOG_RATIO));
    this.counts[index] = (this.counts[index] ?? 0) + 1;
    this.count++;
    this.sumUs += value;
    if (value > this.maxUs) this.maxUs = value;
  }

  merge(data: HistogramData): void {
    data.counts.forEach((count, index) => {
      this.counts[index] = (this.counts[index] ?? 0) + count;
    });
    this.count += data.count;
    this.sumUs += data.sumUs;
    this.maxUs = Math.max(this.maxUs, data.maxUs);
  }

  /** The upper bound of the bucket holding the q-quantile, in microseconds (0 when empty). */
  quantileUs(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (let index = 0; index < BUCKETS; index++) {
      seen += this.counts[index] ?? 0;
      if (seen >= rank) return Math.min(RATIO ** index, this.maxUs);
    }
    return this.maxUs;
  }

  toJSON(): HistogramData {
    return {
      counts: Array.from(this.counts),
      count: this.count,
      maxUs: this.maxUs,
      sumUs: this.sumUs,
    };
  }

  /** p50/p90/p99/max in milliseconds, rounded to 0.01 ms. */
  summaryMs(): LatencySummary {
    const ms = (us: number) => Math.round(us / 10) / 100;
    return {
      count: this.count,
      mean: ms(this.count ? this.sumUs / this.count : 0),
      p50: ms(this.quantileUs(0.5)),
      p90: ms(this.quantileUs(0.9)),
      p99: ms(this.quantileUs(0.99)),
      max: ms(this.maxUs),
    };
  }
}

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}
