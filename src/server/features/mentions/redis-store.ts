/** The mention index on Redis: `room:{id}:mentions:{userId}`, message ids scored like the messages. */
import type { RedisClient } from '../../kernel/redis/client.js';
import { roomMentionsKey } from '../../kernel/redis/keys.js';
import type { MentionIndex } from './ports.js';

export class RedisMentionIndex implements MentionIndex {
  constructor(private readonly redis: RedisClient) {}

  async add(roomId: string, messageId: string, score: number, userIds: string[]): Promise<void> {
    await Promise.all(
      userIds.map((id) =>
        this.redis.zAdd(roomMentionsKey(roomId, id), { score, value: messageId }),
      ),
    );
  }

  async remove(roomId: string, messageId: string, userIds: string[]): Promise<void> {
    await Promise.all(userIds.map((id) => this.redis.zRem(roomMentionsKey(roomId, id), messageId)));
  }

  countAfter(roomId: string, userId: string, score: number): Promise<number> {
    return this.redis.zCount(roomMentionsKey(roomId, userId), `(${score}`, '+inf');
  }

  async forget(roomId: string, userId: string): Promise<void> {
    await this.redis.del(roomMentionsKey(roomId, userId));
  }
}
