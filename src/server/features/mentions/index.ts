/** Mentions: who a message names, and how many unread messages name a user in a room. */
import type { ChatEvents, DomainEvents } from '../../kernel/domain-events.js';
import type { RedisClient } from '../../kernel/redis/client.js';
import type { MentionDirectory, MentionIndex } from './ports.js';
import { RedisMentionIndex } from './redis-store.js';
import { resolveMentions } from './rules.js';

export interface MentionsFeature {
  /** Ids of the users a text names who count in the room. */
  resolve(roomId: string, text: string): Promise<string[]>;
  index: MentionIndex;
}

export function createMentions(
  redis: RedisClient,
  directory: MentionDirectory,
  events: DomainEvents<ChatEvents>,
  /** Distinct names of one message looked up (MENTIONS_PER_MESSAGE). */
  maxPerMessage = Infinity,
): MentionsFeature {
  const index = new RedisMentionIndex(redis);
  events.on('room.left', ({ roomId, userId }) => index.forget(roomId, userId));
  events.on('messages.removed', async ({ roomId, messages }) => {
    await Promise.all(
      messages.map((message) => index.remove(roomId, message.id, message.mentions ?? [])),
    );
  });
  return {
    resolve: (roomId, text) => resolveMentions(directory, roomId, text, maxPerMessage),
    index,
  };
}
