/**
 * Typing indicators. The sending side announces "typing" at most once per throttle window while
 * there is text, and "stopped" once on send, blur or an emptied box. The receiving side forgets a
 * typist whose notice was not renewed in time, so a closed tab never leaves "is typing…" behind.
 */
import { TYPING_EXPIRY_MS, TYPING_THROTTLE_MS } from '../../../protocol/index.js';

/**
 * The server drops a start that comes sooner than TYPING_THROTTLE_MS after the previous one, as
 * measured on its clock: a little slack keeps network jitter from turning renewals into refusals.
 */
export const TYPING_RENEW_MS = TYPING_THROTTLE_MS + 250;

export interface Typist {
  userId: string;
  username: string;
  /** When the indicator goes away unless renewed (ms since epoch). */
  until: number;
}

/**
 * Decides when to emit typing start/stop for one room. The server counts every start against
 * the 2 s window, stops included (so start/stop pairs cannot flood a room): after a send, the
 * next start waits for the window too.
 */
export class TypingAnnouncer {
  /** When the last start was emitted. */
  private lastStartAt = Number.NEGATIVE_INFINITY;
  /** A start was emitted and no stop since. */
  private typing = false;

  constructor(
    private readonly emit: (typing: boolean) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The text in the box changed. */
  input(text: string): void {
    if (text.trim() === '') {
      this.stop();
      return;
    }
    const now = this.now();
    if (now - this.lastStartAt < TYPING_RENEW_MS) return;
    this.lastStartAt = now;
    this.typing = true;
    this.emit(true);
  }

  /** Sent, left the box, or emptied it: tell the others once. */
  stop(): void {
    if (!this.typing) return;
    this.typing = false;
    this.emit(false);
  }
}

/** When a typing notice received now stops counting. */
export const typingExpiry = (now: number) => now + TYPING_EXPIRY_MS;

/** "Mary is typing…", "Mary and Bob are typing…", "Mary, Bob and Ann are typing…". */
export function typingText(typists: readonly Pick<Typist, 'username'>[]): string {
  const names = typists.map((typist) => typist.username);
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  if (names.length === 3) return `${names[0]}, ${names[1]} and ${names[2]} are typing…`;
  return 'Several people are typing…';
}
