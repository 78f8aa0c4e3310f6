/**
 * The messages' side of the server: live messages (one by one or in batches), edits and deletes
 * by others, history pages, what a room missed while offline, and our own sends, edits and
 * deletes with their acks.
 */
import { MESSAGE_MAX_LENGTH, type ChatMessage, type FileRef } from '../../../protocol/index.js';
import type { ChatEvent } from '../../core/events.js';
import { newClientId } from '../../core/lib/client-ids.js';
import { compareMessageIds } from '../../core/lib/message-order.js';
import { type Store, Subscriptions } from '../../core/store/index.js';
import type { MessageEvent, MessageEventPayload, Transport } from '../../core/transport/index.js';
import type { WithSession } from '../auth/index.js';
import type { PresenceEffects, WithUsers } from '../presence/index.js';
import type { MessagesAction, WithTimelines } from './timelines-slice.js';

/** Messages per page when opening a room and when scrolling up. */
export const PAGE_SIZE = 30;
/** Messages per catch-up request after a reconnect (the server's maximum). */
export const CATCH_UP_PAGE_SIZE = 100;
/**
 * Showing a message in context loads the messages from it up to the loaded history, so the
 * timeline stays one unbroken run from the newest message: at most this many requests of
 * CATCH_UP_PAGE_SIZE. An older message is refused rather than loading a whole archive.
 */
export const CONTEXT_FILL_REQUESTS_MAX = 20;

export type MessagesStore = Store<
  WithSession & WithUsers & WithTimelines,
  MessagesAction | ChatEvent
>;

const describe = (error: unknown) =>
  error instanceof Error ? error.message : 'Something went wrong.';

export class MessagesEffects {
  private localIds = 0;
  private readonly subscriptions = new Subscriptions();

  constructor(
    private readonly store: MessagesStore,
    private readonly transport: Transport,
    private readonly presence: Pick<PresenceEffects, 'ensureUsers'>,
  ) {}

  start(): void {
    const { connection } = this.transport;
    this.subscriptions.add(
      connection.on('message', (message) => this.receiveLive([message])),
      // Several new messages of one room in one event (opted in at the handshake, see socket.ts).
      connection.on('message.batch', (messages) => this.receiveLive(messages)),
      connection.on('message.updated', (message) =>
        this.store.dispatch({ type: 'message.updated', message }),
      ),
    );
  }

  stop(): void {
    this.subscriptions.clear();
  }

  private receiveLive(messages: ChatMessage[]): void {
    if (messages.length === 0) return;
    this.store.dispatch({ type: 'messages.arrived', messages });
    this.presence.ensureUsers(messages.map((message) => message.from));
  }

  // Loading -------------------------------------------------------------------------------------

  async loadPage(roomId: string, older: boolean): Promise<void> {
    const timeline = this.store.getState().timelines[roomId];
    if (!timeline) return;
    const offset = older ? timeline.messages.length : 0;
    this.store.dispatch({ type: 'page.started', roomId, older });
    try {
      const messages = await this.transport.api.messagesPage(roomId, offset, PAGE_SIZE);
      this.store.dispatch({ type: 'page.loaded', roomId, messages, size: PAGE_SIZE, older });
      this.presence.ensureUsers(messages.map((message) => message.from));
    } catch (error) {
      this.store.dispatch({ type: 'page.failed', roomId, older, error: describe(error) });
    }
  }

  /** Opening a room: its first page, unless it is loaded (or loading) already. */
  loadIfNeeded(roomId: string): void {
    const load = this.store.getState().timelines[roomId]?.load;
    if (load === 'idle' || load === 'error') void this.loadPage(roomId, false);
  }

  loadOlder(roomId: string): void {
    const timeline = this.store.getState().timelines[roomId];
    if (!timeline || timeline.load !== 'ready' || timeline.loadingOlder || !timeline.hasOlder) {
      return;
    }
    void this.loadPage(roomId, true);
  }

  /**
   * Shows one message of a room in its timeline, scrolled to and highlighted (a search hit, a
   * quoted message). When it is not loaded, its neighbours are (`?around=`), and then the
   * messages from them up to what the timeline holds, so the history has no gap. Rejects with a
   * reason when the message is gone or too far back.
   */
  async showMessage(roomId: string, messageId: string): Promise<void> {
    const loaded = () => this.store.getState().timelines[roomId]?.messages ?? [];
    if (loaded().some((message) => message.id === messageId)) {
      this.store.dispatch({ type: 'message.focused', roomId, messageId });
      return;
    }
    const { api } = this.transport;
    const around = await api.messagesAround(roomId, messageId, PAGE_SIZE);
    if (!around.some((message) => message.id === messageId)) {
      throw new Error('That message is no longer there.');
    }
    const found = [...around];
    let after = around[0]?.id ?? messageId;
    for (let request = 0; ; request++) {
      const oldestLoaded = loaded()[0]?.id;
      if (oldestLoaded && compareMessageIds(after, oldestLoaded) >= 0) break;
      if (request === CONTEXT_FILL_REQUESTS_MAX) {
        throw new Error(
          `That message is more than ${CONTEXT_FILL_REQUESTS_MAX * CATCH_UP_PAGE_SIZE} ` +
            'messages back; scroll up to reach it.',
        );
      }
      const newer = await api.messagesAfter(roomId, after, CATCH_UP_PAGE_SIZE);
      found.unshift(...[...newer].reverse());
      const last = newer.at(-1);
      if (!last || newer.length < CATCH_UP_PAGE_SIZE) break;
      after = last.id;
    }
    this.store.dispatch({
      type: 'page.loaded',
      roomId,
      messages: found,
      size: found.length,
      older: false,
      focus: messageId,
    });
    this.presence.ensureUsers(found.map((message) => message.from));
  }

  /** The list has scrolled to the focused message. */
  focusShown(roomId: string): void {
    this.store.dispatch({ type: 'message.focused', roomId, messageId: null });
  }

  /**
   * After a reconnect: every room already shown gets what it missed (oldest first, page after
   * page), merged by id so nothing shows twice.
   */
  async catchUp(): Promise<void> {
    const timelines = Object.entries(this.store.getState().timelines);
    await Promise.all(
      timelines.map(async ([roomId, timeline]) => {
        if (timeline.load === 'error') return this.loadPage(roomId, false);
        if (timeline.load !== 'ready') return;
        let after = timeline.messages.at(-1)?.id;
        if (!after) return this.loadPage(roomId, false);
        try {
          for (;;) {
            const missed = await this.transport.api.messagesAfter(
              roomId,
              after,
              CATCH_UP_PAGE_SIZE,
            );
            this.store.dispatch({ type: 'messages.arrived', messages: missed });
            this.presence.ensureUsers(missed.map((message) => message.from));
            const last = missed.at(-1);
            if (!last || missed.length < CATCH_UP_PAGE_SIZE) break;
            after = last.id;
          }
        } catch {
          // Offline again: the next reconnect starts over from the newest message we hold.
        }
      }),
    );
  }

  // Sending -------------------------------------------------------------------------------------

  /** Sends a message; with `replyTo`, a reply to that message of the room. */
  send(roomId: string, text: string, replyTo?: string, files: FileRef[] = []): void {
    if (!text.trim() || text.length > MESSAGE_MAX_LENGTH) return;
    const localId = `local-${++this.localIds}`;
    this.store.dispatch({
      type: 'outbox.added',
      message: {
        localId,
        clientId: newClientId(),
        roomId,
        text,
        ...(files.length > 0 ? { files } : {}),
        date: Date.now() / 1000,
        status: 'pending',
        ...(replyTo ? { replyTo } : {}),
      },
    });
    this.transmit(roomId, localId);
  }

  retry(roomId: string, localId: string): void {
    this.store.dispatch({ type: 'outbox.retried', roomId, localId });
    this.transmit(roomId, localId);
  }

  discard(roomId: string, localId: string): void {
    this.store.dispatch({ type: 'outbox.discarded', roomId, localId });
  }

  private transmit(roomId: string, localId: string): void {
    const outgoing = this.store
      .getState()
      .timelines[roomId]?.outbox.find((out) => out.localId === localId);
    if (!outgoing) return;
    const fail = (error: string) =>
      this.store.dispatch({ type: 'outbox.failed', roomId, localId, error });
    // Socket.IO would buffer the emit and send it on reconnect, after we had called it failed:
    // a retry then would post it twice. Offline means not sent, plainly.
    if (!this.transport.connection.connected) {
      fail('You are offline.');
      return;
    }
    this.transport.connection.sendMessageEvent(
      'message',
      // The same clientId on every try: if an earlier try was stored and only its ack was lost,
      // the server answers with that message instead of storing it twice.
      {
        roomId,
        message: outgoing.text,
        clientId: outgoing.clientId,
        replyTo: outgoing.replyTo,
        ...(outgoing.files ? { files: outgoing.files.map((file) => file.id) } : {}),
      },
      (message) =>
        this.store.dispatch(
          { type: 'outbox.confirmed', roomId, localId },
          { type: 'messages.arrived', messages: [message] },
        ),
      fail,
    );
  }

  /** An edit or a delete: the change shows as soon as the server confirms it. */
  private changeMessage(event: MessageEvent, payload: MessageEventPayload): Promise<void> {
    if (!this.transport.connection.connected) {
      return Promise.reject(new Error('You are offline.'));
    }
    return new Promise((resolve, reject) =>
      this.transport.connection.sendMessageEvent(
        event,
        payload,
        (message) => {
          this.store.dispatch({ type: 'message.updated', message });
          resolve();
        },
        (reason) => reject(new Error(reason)),
      ),
    );
  }

  /** Changes the text of one of our messages; rejects with the reason when refused. */
  async editMessage(roomId: string, id: string, text: string): Promise<void> {
    if (!text.trim()) throw new Error('A message cannot be empty.');
    if (text.length > MESSAGE_MAX_LENGTH) {
      throw new Error(`A message can have at most ${MESSAGE_MAX_LENGTH} characters.`);
    }
    return this.changeMessage('message.edit', { roomId, id, message: text });
  }

  /** Deletes one of our messages for everyone; rejects with the reason when refused. */
  deleteMessage(roomId: string, id: string): Promise<void> {
    return this.changeMessage('message.delete', { roomId, id });
  }

  /** Our newest message in a room that can still be edited (Up in an empty box). */
  lastEditableId(roomId: string): string | null {
    const { session, timelines } = this.store.getState();
    const last = timelines[roomId]?.messages.findLast(
      (message) => message.from === session.me.id && !message.deleted,
    );
    return last?.id ?? null;
  }
}
