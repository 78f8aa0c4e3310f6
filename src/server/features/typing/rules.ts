/**
 * Typing notices: a socket announces a start in a room at most once per TYPING_THROTTLE_MS,
 * stops included (a stop does not reopen the window), so start/stop pairs cannot flood a room;
 * and a stop counts only after a start, since the others were told nothing otherwise. Notices
 * are never stored.
 */
import { TYPING_THROTTLE_MS } from '../../../protocol/limits.js';
import { rateLimited } from '../../kernel/errors.js';

export class TypingWindow {
  /** When this socket last announced typing, per room. */
  private readonly lastStart = new Map<string, number>();
  /** Rooms where this socket's last notice was a start: only those can be stopped. */
  private readonly typingIn = new Set<string>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Whether the others must be told; refuses a start inside the window. */
  notice(roomId: string, typing: boolean): boolean {
    if (!typing) return this.typingIn.delete(roomId);
    const now = this.now();
    if (now - (this.lastStart.get(roomId) ?? -Infinity) < TYPING_THROTTLE_MS) {
      throw rateLimited(
        `typing notices are limited to one every ${TYPING_THROTTLE_MS / 1000} s`,
        2,
        'typing',
      );
    }
    this.lastStart.set(roomId, now);
    this.typingIn.add(roomId);
    return true;
  }
}
