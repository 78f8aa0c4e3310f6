/**
 * Retention on Redis: rooms found with SCAN over `room:<id>` sorted sets (never KEYS), and the
 * job's lock `retention:lock`, taken with SET NX PX and released by compare-and-delete so that
 * an instance whose lock lapsed never frees another's.
 */
import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../../kernel/redis/client.js';
import { retentionLockKey } from '../../kernel/redis/keys.js';
import { scanKeys } from '../../kernel/redis/scan.js';
import type { JobLock } from './ports.js';

/** `room:<id>` keys that are rooms' messages (not `room:<id>:mentions:<user>`, also sorted sets). */
const ROOM_MESSAGES_KEY = /^room:(0|[1-9][0-9]*|[1-9][0-9]*:[1-9][0-9]*)$/;

export async function* roomIdsOnRedis(redis: RedisClient): AsyncGenerator<string[]> {
  for await (const keys of scanKeys(redis, { match: 'room:*', type: 'zset' })) {
    const ids = keys.flatMap((key) => ROOM_MESSAGES_KEY.exec(key)?.[1] ?? []);
    if (ids.length > 0) yield ids;
  }
}

const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

export class RedisJobLock implements JobLock {
  constructor(private readonly redis: RedisClient) {}

  async acquire(ttlMs: number): Promise<string | null> {
    const token = randomUUID();
    const taken = await this.redis.set(retentionLockKey(), token, {
      condition: 'NX',
      expiration: { type: 'PX', value: ttlMs },
    });
    return taken === 'OK' ? token : null;
  }

  async release(token: string): Promise<void> {
    await this.redis.eval(RELEASE_SCRIPT, { keys: [retentionLockKey()], arguments: [token] });
  }
}
