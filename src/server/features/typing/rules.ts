/**
 * Typing notices: a user announces a start in a room at most once per interval (TYPING_INTERVAL_MS,
 * TYPING_THROTTLE_MS in the web client), counted over all their sockets and instances, so that
 * many tabs cannot multiply what the room receives; stops are not counted but never reopen the
 * window. A stop counts only after a start of the same socket, since the others were told nothing
 * otherwise. Notices are never stored.
 */
import { rateLimited } from '../../kernel/errors.js';
import type { TypingStarts } from './ports.js';

/** One socket's typing: which rooms it said it is typing in. */
export class TypingWindow {
  /** Rooms where this socket's last notice was a start: only those can be stopped. */
  private readonly typingIn = new Set<string>();

  constructor(
    private readonly userId: string,
    private readonly starts: TypingStarts,
    private readonly intervalMs: number,
  ) {}

  /** Whether the others must be told; refuses a start inside the user's window. */
  async notice(roomId: string, typing: boolean): Promise<boolean> {
    if (!typing) return this.typingIn.delete(roomId);
    if (this.intervalMs > 0 && !(await this.starts.claim(this.userId, roomId, this.intervalMs))) {
      const waitS = Math.ceil(this.intervalMs / 1000);
      throw rateLimited(
        `typing notices are limited to one every ${this.intervalMs / 1000} s per user and room`,
        waitS,
        'typing',
      );
    }
    this.typingIn.add(roomId);
    return true;
  }
}
