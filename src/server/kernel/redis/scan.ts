/**
 * Walking keys a page at a time with SCAN, never KEYS (which blocks Redis for as long as it takes
 * on a large database). On a Redis Cluster each master holds its own keys, so each is scanned.
 */
import type { RedisClient } from './client.js';
import { isRedisCluster } from './cluster.js';

export interface ScanOptions {
  match: string;
  type?: string;
  /** A hint of how many keys each SCAN call looks at. */
  count?: number;
  /**
   * Every key wanted shares this key's hash slot (a `{tag}` in the pattern): on a cluster only
   * the master serving that slot is scanned.
   */
  inSlotOf?: string;
}

/** The keys matching the pattern, a page (one SCAN reply) at a time; a key may come twice. */
export async function* scanKeys(
  redis: RedisClient,
  options: ScanOptions,
): AsyncGenerator<string[]> {
  const nodes = !isRedisCluster(redis)
    ? [redis]
    : options.inSlotOf !== undefined
      ? [await redis.getNodeClientForKey(options.inSlotOf, false)]
      : await Promise.all(redis.masters.map((master) => redis.nodeClient(master)));
  const scanOptions = {
    MATCH: options.match,
    COUNT: options.count ?? 500,
    ...(options.type ? { TYPE: options.type } : {}),
  };
  for (const node of nodes) {
    let cursor = '0';
    do {
      const reply = await node.scan(cursor, scanOptions);
      cursor = String(reply.cursor);
      if (reply.keys.length > 0) yield reply.keys;
    } while (cursor !== '0');
  }
}
