/**
 * Threads and the server: live thread sizes, the side panel's replies (loaded when opened, then
 * kept current by the room's own messages), replies sent through the messages feature with
 * `replyTo`, and the first messages that quotes name but the timeline has not loaded.
 */
import { THREAD_PAGE_SIZE_DEFAULT } from '../../../protocol/index.js';
import { type Store, Subscriptions } from '../../core/store/index.js';
import type { Transport } from '../../core/transport/index.js';
import type { WithSession } from '../auth/index.js';
import type { MessagesEffects, WithTimelines } from '../messages/index.js';
import type { PresenceEffects } from '../presence/index.js';
import { threadKey, type ThreadsAction, type WithThreads } from './threads-slice.js';

export type ThreadsStore = Store<WithSession & WithTimelines & WithThreads, ThreadsAction>;

const describe = (error: unknown) =>
  error instanceof Error ? error.message : 'Something went wrong.';

export class ThreadsEffects {
  private readonly subscriptions = new Subscriptions();
  /** Quoted first messages being fetched, so that many quotes of one ask once. */
  private readonly fetching = new Set<string>();
  private connectedBefore = false;

  constructor(
    private readonly store: ThreadsStore,
    private readonly transport: Transport,
    private readonly messages: Pick<MessagesEffects, 'send' | 'showMessage'>,
    private readonly presence: Pick<PresenceEffects, 'ensureUsers'>,
  ) {}

  start(): void {
    const { connection } = this.transport;
    this.subscriptions.add(
      connection.on('message.thread', (summary) =>
        this.store.dispatch({ type: 'threads.summarized', list: [summary] }),
      ),
      // Replies sent while we were offline were not heard: the open thread asks again.
      connection.onConnect(() => {
        const { open } = this.store.getState().threads;
        if (this.connectedBefore && open) void this.load(open.roomId, open.messageId);
        this.connectedBefore = true;
      }),
    );
  }

  stop(): void {
    this.subscriptions.clear();
  }

  /** Opens a message's thread in the side panel (the thread it is in, for a reply). */
  open(roomId: string, messageId: string): void {
    const known = this.store
      .getState()
      .timelines[roomId]?.messages.find((message) => message.id === messageId);
    const rootId = known?.replyTo ?? messageId;
    this.store.dispatch({ type: 'thread.opened', roomId, messageId: rootId });
    void this.load(roomId, rootId);
  }

  close(): void {
    this.store.dispatch({ type: 'thread.closed' });
  }

  /** Older replies of the open thread. */
  loadOlder(): void {
    const { open } = this.store.getState().threads;
    const first = open?.replies[0];
    if (!open || !first || !open.hasOlder) return;
    void this.load(open.roomId, open.messageId, first.id);
  }

  /**
   * Shows a quoted message in its room's timeline, scrolled to and marked, with the history
   * around it loaded when needed; when it is too far back (or gone), its thread opens instead,
   * with the message at its head.
   */
  showOriginal(roomId: string, messageId: string): void {
    this.messages.showMessage(roomId, messageId).catch(() => this.open(roomId, messageId));
  }

  /** Sends a reply in a thread: a message of its room, shown there too. */
  reply(roomId: string, messageId: string, text: string): void {
    this.messages.send(roomId, text, messageId);
  }

  /** A first message a quote names, fetched once when its timeline has not loaded it. */
  ensureParent(roomId: string, messageId: string): void {
    const key = threadKey(roomId, messageId);
    if (this.fetching.has(key) || this.store.getState().threads.parents[key]) return;
    this.fetching.add(key);
    this.transport.api.thread(roomId, messageId, { size: 1 }).then(
      ({ parent }) => {
        if (parent) {
          this.store.dispatch({ type: 'parent.found', message: parent });
          this.presence.ensureUsers([parent.from]);
        }
      },
      // The quote says it cannot be shown; the next quote of it asks again.
      () => this.fetching.delete(key),
    );
  }

  private async load(roomId: string, messageId: string, before?: string): Promise<void> {
    try {
      const page = await this.transport.api.thread(roomId, messageId, {
        size: THREAD_PAGE_SIZE_DEFAULT,
        ...(before ? { before } : {}),
      });
      this.store.dispatch({
        type: 'thread.loaded',
        roomId,
        messageId,
        page,
        older: before !== undefined,
      });
      this.presence.ensureUsers(
        [page.parent, ...page.replies].flatMap((message) => (message ? [message.from] : [])),
      );
    } catch (error) {
      this.store.dispatch({ type: 'thread.failed', roomId, messageId, error: describe(error) });
    }
  }
}
