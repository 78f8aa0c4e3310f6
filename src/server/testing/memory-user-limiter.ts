/**
 * For unit tests of the rules: a per-user limit that never resets, `points` attempts per user and
 * then refusals with the same wait. Every feature's limiter port has this shape.
 */
export class MemoryUserLimiter {
  private readonly used = new Map<string, number>();

  constructor(
    private readonly points = Infinity,
    private readonly retryAfterS = 60,
  ) {}

  async consume(userId: string) {
    const used = (this.used.get(userId) ?? 0) + 1;
    this.used.set(userId, used);
    return used <= this.points
      ? { allowed: true as const }
      : { allowed: false as const, retryAfterS: this.retryAfterS };
  }
}
