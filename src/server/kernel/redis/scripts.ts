/**
 * Lua scripts, and reads of one command over many keys.
 *
 * A list that grows with the user (a room list of 1,000 rooms) would cost a command per key, and
 * each command costs the client a promise, a parse and a reply of its own: more than Redis's work
 * for a GET. One command (MGET, or the script below) over all the keys costs one of each. No
 * command of this project spans hash slots, so on a Redis Cluster such a read runs once per key:
 * keys of different rooms almost never share one of the 16,384 slots, so grouping them by slot
 * would save nothing there.
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from './client.js';
import { isRedisCluster } from './cluster.js';

interface ScriptOptions {
  keys: string[];
  arguments: string[];
}

export const sha1 = (script: string) => createHash('sha1').update(script).digest('hex');

/** A script by its SHA (40 bytes instead of the script); EVAL loads it after a restart or FLUSH. */
export async function runScript(
  redis: RedisClient,
  script: string,
  sha: string,
  options: ScriptOptions,
): Promise<unknown> {
  return redis
    .evalSha(sha, options)
    .catch((error: unknown) =>
      error instanceof Error && error.message.startsWith('NOSCRIPT')
        ? redis.eval(script, options)
        : Promise.reject(error),
    );
}

/**
 * `read` over every key at once on a single Redis, over each key on its own on a cluster; either
 * way one answer per key, in the keys' order. `read` must answer one element per key it is given.
 */
export async function readAcrossSlots<T>(
  redis: RedisClient,
  keys: string[],
  read: (keys: string[]) => Promise<T[]>,
): Promise<T[]> {
  if (keys.length === 0) return [];
  if (!isRedisCluster(redis)) return read(keys);
  const parts = await Promise.all(keys.map((key) => read([key])));
  return parts.flat();
}

/**
 * KEYS: any. ARGV: a read-only command and its arguments after the key. Answers the command's
 * reply for each key, in order (a nil reply as nil). Only the server's own code names the command.
 */
const READ_EACH_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  out[i] = redis.call(ARGV[1], key, unpack(ARGV, 2))
end
return out`;
const READ_EACH_SHA = sha1(READ_EACH_SCRIPT);

/**
 * One read-only command (`command key ...args`) on each key, as one script per slot (see
 * readAcrossSlots): e.g. the newest member of 1,000 rooms' sorted sets in one round trip and one
 * reply.
 */
export function readEach(
  redis: RedisClient,
  keys: string[],
  command: string,
  args: string[] = [],
): Promise<unknown[]> {
  return readAcrossSlots(
    redis,
    keys,
    async (someKeys) =>
      (await runScript(redis, READ_EACH_SCRIPT, READ_EACH_SHA, {
        keys: someKeys,
        arguments: [command, ...args],
      })) as unknown[],
  );
}
