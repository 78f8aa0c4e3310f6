/**
 * Reactions and the server: each page of history brings its messages' reactions, live changes
 * replace them, and after a reconnect the messages on screen are asked for again (changes made
 * while offline were not heard). Our own change shows once the server has taken it.
 */
import { REACTION_IDS_MAX, type ChatMessage } from '../../../protocol/index.js';
import { actionListener, type Store, Subscriptions } from '../../core/store/index.js';
import type { Transport } from '../../core/transport/index.js';
import type { WithSession } from '../auth/index.js';
import type { MessagesAction, WithTimelines } from '../messages/index.js';
import { selectReactions, type ReactionsAction, type WithReactions } from './reactions-slice.js';

export type ReactionsStore = Store<
  WithSession & WithTimelines & WithReactions,
  ReactionsAction | MessagesAction
>;

type PageLoaded = Extract<MessagesAction, { type: 'page.loaded' }>;

export class ReactionsEffects {
  private readonly subscriptions = new Subscriptions();
  private connectedBefore = false;

  constructor(
    private readonly store: ReactionsStore,
    private readonly transport: Transport,
  ) {}

  start(): void {
    const { connection } = this.transport;
    this.subscriptions.add(
      connection.on('message.reactions', (reactions) =>
        this.store.dispatch({ type: 'reactions.received', list: [reactions] }),
      ),
      this.store.listen(
        actionListener<PageLoaded, unknown>(['page.loaded'], ({ roomId, messages }) =>
          this.load(roomId, messages),
        ),
      ),
      connection.onConnect(() => {
        if (this.connectedBefore) this.reloadShown();
        this.connectedBefore = true;
      }),
    );
  }

  stop(): void {
    this.subscriptions.clear();
  }

  /**
   * Adds our reaction, or takes it back when it is there. A refusal (a limit, offline) is kept
   * for the message to show; the returned promise settles either way.
   */
  async toggle(roomId: string, messageId: string, emoji: string): Promise<void> {
    const { session } = this.store.getState();
    const mine = selectReactions(this.store.getState(), roomId, messageId).some(
      (reaction) => reaction.emoji === emoji && reaction.userIds.includes(session.me.id),
    );
    this.store.dispatch({ type: 'reaction.tried', roomId, messageId });
    try {
      const { reactions } = await this.transport.connection.request(
        mine ? 'reaction.remove' : 'reaction.add',
        { roomId, messageId, emoji },
      );
      this.store.dispatch({ type: 'reactions.received', list: [reactions] });
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'The server said no.';
      this.store.dispatch({ type: 'reaction.refused', roomId, messageId, reason });
    }
  }

  private load(roomId: string, messages: readonly ChatMessage[]): void {
    const ids = messages.filter((message) => !message.deleted).map((message) => message.id);
    for (let start = 0; start < ids.length; start += REACTION_IDS_MAX) {
      const some = ids.slice(start, start + REACTION_IDS_MAX);
      this.transport.api.reactions(roomId, some).then(
        (list) => this.store.dispatch({ type: 'reactions.received', list }),
        // Without them the messages still read well; the next page or reconnect asks again.
        () => undefined,
      );
    }
  }

  private reloadShown(): void {
    for (const [roomId, timeline] of Object.entries(this.store.getState().timelines)) {
      if (timeline.messages.length > 0) this.load(roomId, timeline.messages);
    }
  }
}
