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
 * the 2 s window, stops included (so start/stop pairs cannot flood a room). Typing again soon
 * after a send therefore schedules its start for when the window opens, rather than dropping it.
 */
export class TypingAnnouncer {
  /** When the last start was emitted. */
  private lastStartAt = Number.NEGATIVE_INFINITY;
  /** A start was emitted and no stop since. */
  private typing = false;
  /** A start waiting for the window to open. */
  private pending: ReturnType<typeof setTimeout> | null = null;

  constructor(
    /** Sends a notice; false when it could not go out (offline), so a start is tried again. */
    private readonly emit: (typing: boolean) => boolean,
    private readonly now: () => number = Date.now,
  ) {}

  /** The text in the box changed. */
  input(text: string): void {
    if (text.trim() === '') {
      this.stop();
      return;
    }
    if (this.pending !== null) return;
    const wait = this.lastStartAt + TYPING_RENEW_MS - this.now();
    if (wait <= 0) {
      this.start();
    } else if (!this.typing) {
      this.pending = setTimeout(() => {
        this.pending = null;
        this.start();
      }, wait);
    }
    // Otherwise a start is on record and still fresh: the next keystroke after the window renews it.
  }

  /** Sent, left the box, or emptied it: tell the others once. */
  stop(): void {
    this.cancel();
    if (!this.typing) return;
    this.typing = false;
    this.emit(false);
  }

  /** Forgets a start that was waiting, without telling anyone (the room is gone, or the screen). */
  cancel(): void {
    if (this.pending === null) return;
    clearTimeout(this.pending);
    this.pending = null;
  }

  private start(): void {
    // Not sent (still connecting): the next keystroke tries again instead of waiting a window.
    if (!this.emit(true)) return;
    this.lastStartAt = this.now();
    this.typing = true;
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
