/**
 * Typing notices both ways: ours go out through one TypingAnnouncer per room (stopped when the
 * message is sent), theirs are shown until renewed or expired.
 */
import type { TypingNotice } from '../../../protocol/index.js';
import type { ChatEvent } from '../../core/events.js';
import { actionListener, type Store, Subscriptions } from '../../core/store/index.js';
import type { Transport } from '../../core/transport/index.js';
import type { WithSession } from '../auth/index.js';
import type { MessagesAction, WithTimelines } from '../messages/index.js';
import { TypingAnnouncer, typingExpiry } from './typing.js';
import type { TypingAction, WithTypists } from './typing-slice.js';

export type TypingStore = Store<
  WithSession & WithTimelines & WithTypists,
  TypingAction | MessagesAction | ChatEvent
>;

export class TypingEffects {
  /** Per room: when to tell the others that we type. */
  private readonly announcers = new Map<string, TypingAnnouncer>();
  /** Per room and typist: the timer that forgets them if their notice is not renewed. */
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions = new Subscriptions();

  constructor(
    private readonly store: TypingStore,
    private readonly transport: Transport,
  ) {}

  start(): void {
    this.subscriptions.add(
      this.transport.connection.on('typing', this.handleTyping),
      this.store.listen(
        actionListener<MessagesAction | ChatEvent, unknown>(
          ['outbox.added', 'room.left'],
          (action) => {
            // A message sent: the others stop seeing us type, before the message reaches them.
            if (action.type === 'outbox.added') this.stopped(action.message.roomId);
            if (action.type === 'room.left') this.forget(action.roomId);
          },
        ),
      ),
    );
  }

  stop(): void {
    this.subscriptions.clear();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const announcer of this.announcers.values()) announcer.cancel();
  }

  /** The text in a room's message box changed. */
  input(roomId: string, text: string): void {
    this.announcerOf(roomId).input(text);
  }

  /** Sent, emptied, or left the message box. */
  stopped(roomId: string): void {
    this.announcers.get(roomId)?.stop();
  }

  private forget(roomId: string): void {
    this.announcers.get(roomId)?.cancel();
    this.announcers.delete(roomId);
  }

  private announcerOf(roomId: string): TypingAnnouncer {
    let announcer = this.announcers.get(roomId);
    if (!announcer) {
      announcer = new TypingAnnouncer((typing) => {
        // Offline typing is nobody's business: the notice would be stale on arrival anyway.
        if (!this.transport.connection.connected) return false;
        this.transport.connection.sendTyping({ roomId, typing });
        return true;
      });
      this.announcers.set(roomId, announcer);
    }
    return announcer;
  }

  private readonly handleTyping = (notice: TypingNotice) => {
    if (notice.userId === this.store.getState().session.me.id) return;
    const key = `${notice.roomId} ${notice.userId}`;
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    const now = Date.now();
    this.store.dispatch({ type: 'typing.changed', notice, until: typingExpiry(now) });
    if (!notice.typing) return;
    // Not renewed in time: the typist closed the tab, lost the network, or just stopped.
    this.timers.set(
      key,
      setTimeout(
        () => {
          this.timers.delete(key);
          this.store.dispatch({ type: 'typing.expired', roomId: notice.roomId, now: Date.now() });
        },
        typingExpiry(now) - now,
      ),
    );
  };
}
