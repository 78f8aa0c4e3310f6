/**
 * Bench users written straight into Redis through the server's own user store, all with one
 * password hash computed once. Registering through POST /login costs a bcrypt cost-10 hash per
 * user (≈ 50 ms of a core): 10,000 users would take minutes before a big-room run could start.
 * The precomputed hash has bcrypt's lowest cost, so the sign-ins that follow (POST /login, which
 * verifies it and opens the session) cost about a millisecond each instead of 50.
 */
import bcrypt from 'bcrypt';
import { createClient, createCluster } from 'redis';
import { RedisUserStore } from '../src/server/features/auth/redis-store.js';
import type { RedisClient } from '../src/server/kernel/redis/client.js';
import { inParallel } from './http.js';

/** bcrypt's minimum cost: a verification takes about a millisecond. */
const SEED_HASH_COST = 4;
/** Users written at once (five small commands each, pipelined by node-redis). */
const INSERTS_IN_FLIGHT = 64;

/**
 * Creates the users with these names and the given password. Names that exist already are
 * left as they are (the sign-in that follows checks the password).
 */
export async function seedUsers(
  redis: { url: string; cluster: boolean },
  usernames: string[],
  password: string,
): Promise<void> {
  const client = redis.cluster
    ? createCluster({ rootNodes: [{ url: redis.url }] })
    : createClient({ url: redis.url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const store = new RedisUserStore(client as unknown as RedisClient);
    const hash = await bcrypt.hash(password, SEED_HASH_COST);
    await inParallel(usernames, INSERTS_IN_FLIGHT, (name) => store.insertUser(name, hash));
  } finally {
    await client.close();
  }
}
