/**
 * `npx tsx bench/message-js-cost.ts [redis-url]`: the small pieces of JavaScript a private message
 * costs the server, each timed alone in a loop (docs/performance.md, "The cost of one message"):
 * the zod check of the `message` payload, a JSON encode of the message and of its ack, a disabled
 * `debug()` call (Socket.IO and Engine.IO make a few dozen per message), and — with a Redis URL
 * (a Redis of your own: it writes `{room:bench}:search:*` keys and deletes them) — the client's
 * CPU for indexing a five-word message as a MULTI of one ZADD per word against one script.
 * A loop keeps everything hot in the caches, so these are lower bounds of what the same work costs
 * inside the server.
 */
import { createRequire } from 'node:module';
import { createClient } from 'redis';
import { clientEvents } from '../src/protocol/events.js';
import { parseInput } from '../src/server/kernel/validation.js';

const text = '1764520000123456 t1234567 hello there from the bench sender';
const payload = { roomId: '12:57', message: text };
const message = { id: '1764520000123456-abcdef0123', from: '12', date: 1764520000, message: text };

function usPerCall(work: () => unknown, rounds = 200_000): number {
  for (let i = 0; i < 20_000; i++) work();
  const started = process.cpuUsage();
  for (let i = 0; i < rounds; i++) work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / rounds;
}

// Socket.IO's own `debug` (a dependency of theirs, not of this project), off as in production.
const fromHere = createRequire(import.meta.url);
const createDebug = createRequire(fromHere.resolve('socket.io'))('debug') as (
  namespace: string,
) => (...args: unknown[]) => void;
const debug = createDebug('socket.io:socket');
const pieces: [string, () => unknown][] = [
  ['zod check of the payload', () => parseInput(clientEvents.message.payload, payload)],
  ['JSON encode of the message', () => JSON.stringify(message)],
  ['JSON encode of its ack', () => JSON.stringify([{ ok: true, message }])],
  ['a disabled debug() call', () => debug('emitting event %j', 'message')],
];
for (const [name, work] of pieces) {
  const runs = [1, 2].map(() => usPerCall(work).toFixed(3));
  console.log(`${name.padEnd(28)} ${runs.join(' / ')} µs`);
}

const redisUrl = process.argv[2];
if (redisUrl) {
  const redis = createClient({ url: redisUrl });
  await redis.connect();
  const script = `for i = 1, #KEYS do redis.call('ZADD', KEYS[i], ARGV[1], ARGV[2]) end return #KEYS`;
  const sha = await redis.scriptLoad(script);
  const keys = ['alpha', 'bravo', 'charlie', 'delta', 'echo'].map(
    (t) => `{room:bench}:search:${t}`,
  );
  let n = 0;
  const viaMulti = async () => {
    const transaction = redis.multi();
    for (const key of keys) transaction.zAdd(key, { score: n, value: String(n++) });
    await transaction.exec();
  };
  const viaScript = async () => {
    await redis.evalSha(sha, { keys, arguments: [String(n), String(n++)] });
  };
  // Twenty at a time, as a server under load issues them: the client's CPU per index write.
  const clientUs = async (write: () => Promise<void>, total = 20_000) => {
    const started = process.cpuUsage();
    for (let i = 0; i < total; i += 20) await Promise.all(Array.from({ length: 20 }, write));
    const used = process.cpuUsage(started);
    return (used.user + used.system) / total;
  };
  for (let round = 0; round < 3; round++) {
    const multi = await clientUs(viaMulti);
    const scripted = await clientUs(viaScript);
    console.log(
      `index of 5 words, client CPU: MULTI of ZADDs ${multi.toFixed(1)} µs, one script ${scripted.toFixed(1)} µs`,
    );
  }
  await redis.del(keys);
  await redis.quit();
}
