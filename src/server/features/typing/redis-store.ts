/** Typing claims as expiring keys: SET NX PX, one command, lapsing by itself. */
import type { RedisClient } from '../../kernel/redis/client.js';
import { typingStartKey } from '../../kernel/redis/keys.js';
import type { TypingStarts } from './ports.js';

export class RedisTypingStarts implements TypingStarts {
  constructor(private readonly redis: RedisClient) {}

  async claim(userId: string, roomId: string, intervalMs: number): Promise<boolean> {
    const claimed = await this.redis.set(typingStartKey(userId, roomId), '1', {
      condition: 'NX',
      expiration: { type: 'PX', value: intervalMs },
    });
    return claimed !== null;
  }
}
