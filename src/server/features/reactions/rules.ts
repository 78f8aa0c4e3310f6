/**
 * The reaction rules: a user reacts only to a message that exists in a room they may read, and
 * not to a deleted one; one message carries at most REACTIONS_PER_MESSAGE_MAX different emoji;
 * each user changes reactions at most so many times a minute (a refused change counts too, so
 * hammering the cap costs the same as succeeding).
 */
import { REACTIONS_PER_MESSAGE_MAX } from '../../../protocol/limits.js';
import type { MessageReactions, SessionUser } from '../../../protocol/models.js';
import { AppError, badRequest, notFound, rateLimited } from '../../kernel/errors.js';
import type { ChangeLimiter, MessageLookup, ReactionStore, RoomAccess } from './ports.js';

export interface ReactionPorts {
  reactions: ReactionStore;
  limiter: ChangeLimiter;
  rooms: RoomAccess;
  messages: MessageLookup;
}

/** What a change produced: the reactions to answer with, and whether others must be told. */
export interface ReactionOutcome {
  reactions: MessageReactions;
  changed: boolean;
}

export class ReactionRules {
  constructor(private readonly ports: ReactionPorts) {}

  /**
   * Reacts with an emoji. The caller has checked that the user may use the room (once per
   * connection and room), as for sending.
   */
  async add(user: SessionUser, roomId: string, messageId: string, emoji: string) {
    await this.prepareChange(user, roomId, messageId);
    const change = await this.ports.reactions.add(
      roomId,
      messageId,
      user.id,
      emoji,
      REACTIONS_PER_MESSAGE_MAX,
    );
    if (change.outcome === 'too_many') {
      throw new AppError(
        'limit_reached',
        `a message can carry at most ${REACTIONS_PER_MESSAGE_MAX} different reactions`,
      );
    }
    return this.outcome(roomId, messageId, change);
  }

  /** Takes back the user's reaction; taking back one that is not there changes nothing. */
  async remove(user: SessionUser, roomId: string, messageId: string, emoji: string) {
    await this.prepareChange(user, roomId, messageId, { deletedToo: true });
    const change = await this.ports.reactions.remove(roomId, messageId, user.id, emoji);
    if (change.outcome === 'too_many') throw new Error('removing cannot pass a cap');
    return this.outcome(roomId, messageId, change);
  }

  /** The reactions of some messages of a room the reader may use. */
  async read(reader: SessionUser, roomId: string, messageIds: string[]) {
    const [, lists] = await Promise.all([
      this.ports.rooms.assertCanUseRoom(reader, roomId),
      this.ports.reactions.read(roomId, messageIds),
    ]);
    return messageIds.map((messageId, i): MessageReactions => ({
      roomId,
      messageId,
      reactions: lists[i] ?? [],
    }));
  }

  private async prepareChange(
    user: SessionUser,
    roomId: string,
    messageId: string,
    { deletedToo = false } = {},
  ) {
    const counted = await this.ports.limiter.consume(user.id);
    if (!counted.allowed) {
      const wait = counted.retryAfterS;
      throw rateLimited(`you are changing reactions too fast; wait ${wait} s`, wait, 'reaction');
    }
    const message = await this.ports.messages.findMessage(roomId, messageId);
    if (!message) throw notFound(`message ${messageId} does not exist in room ${roomId}`);
    // A deleted message shows no reactions; taking one back stays possible, adding does not.
    if (message.deleted && !deletedToo) throw badRequest('a deleted message cannot get reactions');
  }

  private outcome(
    roomId: string,
    messageId: string,
    change: Exclude<Awaited<ReturnType<ReactionStore['add']>>, { outcome: 'too_many' }>,
  ): ReactionOutcome {
    return {
      reactions: { roomId, messageId, reactions: change.reactions },
      changed: change.outcome === 'changed',
    };
  }
}
