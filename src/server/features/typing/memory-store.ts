/** In-memory typing claims, on a clock the test moves. */
import type { TypingStarts } from './ports.js';

export class MemoryTypingStarts implements TypingStarts {
  private readonly claimedUntil = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  async claim(userId: string, roomId: string, intervalMs: number): Promise<boolean> {
    const key = `${userId}/${roomId}`;
    if ((this.claimedUntil.get(key) ?? -Infinity) > this.now()) return false;
    this.claimedUntil.set(key, this.now() + intervalMs);
    return true;
  }
}
