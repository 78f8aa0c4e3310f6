/**
 * Search: a private room of two bench users is filled with N messages (the server's member
 * format) and their index entries, straight in Redis: most in bulk (one ZADD per term and batch),
 * the newest `indexSample` one at a time through the search feature's own store
 * (RedisSearchIndex.add, the write a send makes), which is the indexing measurement: the time of
 * one write, Redis CPU per message, and the index's memory per message. Then GET /search is timed one request at a time for queries of different
 * shapes: a common word, a rare word, two words together, and the common word over all the
 * reader's rooms.
 *
 * Message texts draw 8 words from a 5,000-word vocabulary with a log-uniform rank (word k is
 * about as likely as words k..2k together), so a few words are in most messages and most words
 * in a few: the shape of real text, roughly.
 */
import type { RedisClientType } from 'redis';
import type { ChatMessage } from '../../src/protocol/models.js';
import { searchTerms } from '../../src/protocol/search-terms.js';
import { RedisSearchIndex } from '../../src/server/features/search/redis-store.js';
import type { RedisClient } from '../../src/server/kernel/redis/client.js';
import { roomKey, searchTermKey, userRoomsKey } from '../../src/server/kernel/redis/keys.js';
import { type BenchContext, type CpuSplit, roundTo } from '../context.js';
import { Histogram, type LatencySummary } from '../histogram.js';
import { inParallel, request } from '../http.js';
import { CpuMeter } from '../proc-stats.js';
import { connectBenchRedis } from '../redis.js';
import { pairRoomId } from './messaging.js';

const VOCABULARY = 5000;
const WORDS_PER_MESSAGE = 8;
const MESSAGES_PER_BATCH = 5000;
const BATCHES_IN_FLIGHT = 4;
const WARM_UP_REQUESTS = 20;

/** A made-up word per rank, 4–9 letters, so that no two ranks share a word. */
function wordOf(rank: number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let word = '';
  let n = rank + 26 * 26 * 26;
  while (n > 0) {
    word += letters[n % 26];
    n = Math.floor(n / 26);
  }
  return `${word}${letters[rank % 7]}`;
}

/** A deterministic generator, so two runs index the same texts. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const rankOf = (next: () => number) =>
  Math.min(VOCABULARY - 1, Math.floor(VOCABULARY ** next()) - 1);

export const SEARCH_QUERIES = {
  /** The commonest word: in most messages. */
  common: wordOf(0),
  /** A word near the end of the vocabulary: in few messages. */
  rare: wordOf(VOCABULARY - 50),
  /** Two words of middling frequency that must both be present. */
  twoWords: `${wordOf(3)} ${wordOf(40)}`,
} as const;
type QueryName = keyof typeof SEARCH_QUERIES | 'allRooms';

export interface QueryResult {
  q: string;
  /** Hits in the first page (the page size when the word is common enough). */
  firstPageHits: number;
  latencyMs: LatencySummary;
}

export interface SearchResult {
  scenario: 'search';
  instances: number;
  roomMessages: number;
  /** Distinct terms per message, on average (what one message costs in index entries). */
  termsPerMessage: number;
  /** Seconds to seed the room and its index with bulk writes (not a measurement of sends). */
  seedS: number;
  index: {
    /** Messages indexed one at a time through the store, as sends index them. */
    messages: number;
    /** Time of one message's index write (one MULTI), one in flight. */
    latencyMs: LatencySummary;
    /** Redis CPU per message indexed (null when Redis is not ours to measure). */
    redisCpuUsPerMessage: number | null;
    /** Redis used_memory growth per message for the whole index (null on a cluster). */
    bytesPerMessage: number | null;
  };
  requestsPerQuery: number;
  pageSize: number;
  failed: number;
  queries: Record<QueryName, QueryResult>;
  serverCpuUsPerRequest: number;
  cpu: CpuSplit;
}

/** Redis's used_memory; null on a cluster, whose memory is spread over its nodes. */
async function usedMemory(client: RedisClient, cluster: boolean): Promise<number | null> {
  if (cluster) return null;
  const info = await (client as RedisClientType).info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

export async function runSearch(ctx: BenchContext): Promise<SearchResult> {
  const params = ctx.options.search;
  const { redisUrl, redisPids, redisCluster } = ctx.deployment;
  if (!redisUrl) throw new Error('the search scenario needs --redis-url with --url');
  // Users 1 and 2: a room of its own (history fills 0 and 2's).
  const users = await ctx.users(3);
  const [reader, other] = [users[1], users[2]];
  if (!reader || !other) throw new Error('need three users');
  const roomId = pairRoomId(reader, other);

  const client = await connectBenchRedis({ url: redisUrl, cluster: redisCluster });
  const index = new RedisSearchIndex(client);
  const next = random(42);
  const sampled = Math.min(params.indexSample, params.messages);
  const seeded = params.messages - sampled;
  let terms = 0;
  let stored = 0;
  let seedS = 0;
  let redisCpuS: number | null = null;
  let indexBytes: number | null = null;
  const indexLatency = new Histogram();
  try {
    const firstMicros = Date.now() * 1000 - params.messages * 1000;
    const messageAt = (i: number) => {
      const micros = firstMicros + i * 1000;
      const text = Array.from({ length: WORDS_PER_MESSAGE }, () => wordOf(rankOf(next))).join(' ');
      const message: ChatMessage = {
        id: `${micros}-s${i.toString(36)}`,
        from: i % 2 === 0 ? reader.id : other.id,
        date: Math.floor(micros / 1e6),
        message: text,
        roomId,
      };
      return { message, score: micros / 1e6, terms: searchTerms(text) };
    };
    // Listed for both, as a private room's first message does: the all-rooms search finds it.
    await Promise.all([
      client.sAdd(userRoomsKey(reader.id), roomId),
      client.sAdd(userRoomsKey(other.id), roomId),
    ]);
    const memoryBefore = await usedMemory(client, redisCluster);

    // Seed: the room and its index in bulk, one ZADD per term and batch of messages.
    const seedStarted = performance.now();
    const batches = Array.from({ length: Math.ceil(seeded / MESSAGES_PER_BATCH) }, (_, b) => b);
    await inParallel(batches, BATCHES_IN_FLIGHT, async (batch) => {
      const members: { score: number; value: string }[] = [];
      const byTerm = new Map<string, { score: number; value: string }[]>();
      const end = Math.min(seeded, (batch + 1) * MESSAGES_PER_BATCH);
      for (let i = batch * MESSAGES_PER_BATCH; i < end; i++) {
        const { message, score, terms: messageTerms } = messageAt(i);
        terms += messageTerms.length;
        members.push({ score, value: JSON.stringify(message) });
        for (const term of messageTerms) {
          const entries = byTerm.get(term) ?? [];
          entries.push({ score, value: message.id });
          byTerm.set(term, entries);
        }
      }
      await Promise.all([
        client.zAdd(roomKey(roomId), members),
        ...[...byTerm].map(([term, entries]) => client.zAdd(searchTermKey(roomId, term), entries)),
      ]);
    });
    seedS = (performance.now() - seedStarted) / 1000;

    // Measured: the newest messages indexed one at a time through the store, as sends do.
    await ctx.waitForQuietMachine();
    const redisCpu = redisPids.length > 0 ? new CpuMeter(redisPids) : null;
    for (let i = seeded; i < params.messages; i++) {
      const { message, score, terms: messageTerms } = messageAt(i);
      terms += messageTerms.length;
      await client.zAdd(roomKey(roomId), { score, value: JSON.stringify(message) });
      const t0 = performance.now();
      await index.add(roomId, message.id, score, messageTerms);
      indexLatency.record((performance.now() - t0) * 1000);
    }
    if (redisCpu) {
      const { cpu } = redisCpu.read();
      // The room's own ZADD is in this window too; it is a small share of the index's writes.
      redisCpuS = cpu.user + cpu.system;
    }
    stored = await client.zCard(roomKey(roomId));
    const roomBytes = Number((await client.memoryUsage(roomKey(roomId))) ?? 0);
    const memoryAfter = await usedMemory(client, redisCluster);
    if (memoryAfter !== null && memoryBefore !== null) {
      indexBytes = memoryAfter - memoryBefore - roomBytes;
    }
  } finally {
    await client.close();
  }

  const search = (q: string, allRooms: boolean) =>
    request(
      'GET',
      `${reader.url}/search?q=${encodeURIComponent(q)}&size=${params.pageSize}` +
        (allRooms ? '' : `&roomId=${encodeURIComponent(roomId)}`),
      { cookie: reader.cookie },
    );
  const plan: [QueryName, string, boolean][] = [
    ['common', SEARCH_QUERIES.common, false],
    ['rare', SEARCH_QUERIES.rare, false],
    ['twoWords', SEARCH_QUERIES.twoWords, false],
    ['allRooms', SEARCH_QUERIES.common, true],
  ];
  for (let i = 0; i < WARM_UP_REQUESTS; i++) {
    const [, q, all] = plan[i % plan.length] as [QueryName, string, boolean];
    await search(q, all);
  }

  let failed = 0;
  const queries = {} as Record<QueryName, QueryResult>;
  await ctx.waitForQuietMachine();
  const window = ctx.window('search');
  for (const [name, q, allRooms] of plan) {
    const latency = new Histogram();
    let firstPageHits = 0;
    for (let i = 0; i < params.requests; i++) {
      const t0 = performance.now();
      const answer = await search(q, allRooms);
      latency.record((performance.now() - t0) * 1000);
      if (answer.status !== 200) {
        failed++;
        continue;
      }
      if (i === 0) firstPageHits = (JSON.parse(answer.body) as { hits: unknown[] }).hits.length;
    }
    queries[name] = { q, firstPageHits, latencyMs: latency.summaryMs() };
  }
  const { serverCpuS, ...cpu } = window.stop();
  const requests = params.requests * plan.length;

  return {
    scenario: 'search',
    instances: ctx.deployment.urls.length,
    roomMessages: stored,
    termsPerMessage: roundTo(terms / Math.max(1, params.messages), 2),
    seedS: roundTo(seedS, 2),
    index: {
      messages: sampled,
      latencyMs: indexLatency.summaryMs(),
      redisCpuUsPerMessage:
        redisCpuS === null ? null : roundTo((redisCpuS * 1e6) / Math.max(1, sampled), 1),
      bytesPerMessage:
        indexBytes === null ? null : roundTo(indexBytes / Math.max(1, params.messages), 1),
    },
    requestsPerQuery: params.requests,
    pageSize: params.pageSize,
    failed,
    queries,
    serverCpuUsPerRequest: roundTo((serverCpuS * 1e6) / requests, 1),
    cpu,
  };
}
