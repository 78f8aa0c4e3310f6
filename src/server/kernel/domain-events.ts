/**
 * Domain events: what happened in one feature, told to whoever listens, so that a module that
 * reacts to it (the demo's bridge in interop/, another feature) is wired where it is created and
 * the feature raising the event does not know it. Listeners run at once, in the order they were
 * added; `emit` resolves when the asynchronous ones are done.
 */
import type { ChatMessage, RoomSummary, UserPresence } from '../../protocol/models.js';

/** Every domain event and what it carries. */
export interface ChatEvents {
  /** A private room received its first message: both members list it from now on. */
  'room.shown': RoomSummary;
  /** A user left a group room: what they kept about it (read marker, mentions) goes too. */
  'room.left': { roomId: string; userId: string };
  /** A user came online (first connection on any instance) or went offline (last one closed). */
  'presence.changed': UserPresence;
  /**
   * A message is being stored: a listener that writes what goes with it (the search index)
   * issues its commands at once, so that they leave in the store's write. 'message.posted'
   * follows once it is stored, 'message.unstored' when it was not after all (the store failed,
   * or the send was a retry of one stored before).
   */
  'message.storing': { message: ChatMessage };
  /** A message told as 'message.storing' was not stored: what was written for it goes. */
  'message.unstored': { message: ChatMessage };
  /** A message was stored (after its room's write succeeded). */
  'message.posted': { message: ChatMessage };
  /** The author changed a message's text: the stored message before and after. */
  'message.edited': { previous: ChatMessage; message: ChatMessage };
  /** A message became a deleted placeholder: what it was, and the placeholder. */
  'message.deleted': { previous: ChatMessage; message: ChatMessage };
  /**
   * Messages left their room for good (retention trimmed them): whatever refers to them (search
   * entries, mentions, reactions) goes too.
   */
  'messages.removed': { roomId: string; messages: ChatMessage[] };
}

type Listener<T> = (payload: T) => void | Promise<void>;

export class DomainEvents<Events extends object = ChatEvents> {
  private readonly listeners = new Map<keyof Events, Listener<never>[]>();

  on<E extends keyof Events>(event: E, listener: Listener<Events[E]>): void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener as Listener<never>);
    this.listeners.set(event, list);
  }

  async emit<E extends keyof Events>(event: E, payload: Events[E]): Promise<void> {
    const list = (this.listeners.get(event) ?? []) as Listener<Events[E]>[];
    await Promise.all(list.map((listener) => listener(payload)));
  }
}
