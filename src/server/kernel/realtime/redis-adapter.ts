/**
 * The Socket.IO Redis adapter every instance uses — and the operator's command line, whose
 * socket-less Socket.IO server reaches the clients of every instance through it (an admin's
 * delete from the command line is broadcast exactly as one made in the app).
 */
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import type { RedisClient } from '../redis/client.js';
import { SOCKET_IO_CHANNEL_PREFIX } from '../redis/keys.js';
import type { ChatServer } from './socket-types.js';

/** Redis 7 has sharded pub/sub, which the adapter uses to spread load over a cluster's shards. */
async function supportsShardedPubSub(redis: RedisClient): Promise<boolean> {
  const info = await redis.info('server');
  const major = Number(/redis_version:(\d+)/.exec(info)?.[1] ?? 0);
  return major >= 7;
}

/**
 * 'static': every instance listens on one main channel, not one channel per Socket.IO room.
 * Most emits go to General (followed by every instance) or to two user rooms (sent on the main
 * channel anyway), and a per-room subscription made as a socket joins could miss an emit racing
 * it, or be lost if Redis drops while it is being made.
 */
export async function useRedisAdapter(
  io: ChatServer,
  redis: RedisClient,
  subscriber: RedisClient,
): Promise<void> {
  io.adapter(
    (await supportsShardedPubSub(redis))
      ? createShardedAdapter(redis, subscriber, {
          channelPrefix: SOCKET_IO_CHANNEL_PREFIX,
          subscriptionMode: 'static',
        })
      : createAdapter(redis, subscriber, { key: SOCKET_IO_CHANNEL_PREFIX }),
  );
}
