/**
 * History pages: a private room of two bench users is filled with N messages straight in Redis
 * (ZADD pipelines, the server's own member format), then pages of 50 are read through
 * GET /room/:id/messages at random offsets and timed one by one from the client.
 */
import type { ChatMessage } from '../../src/protocol/models.js';
import { roomKey } from '../../src/server/kernel/redis/keys.js';
import { connectBenchRedis } from '../redis.js';
import { type BenchContext, type CpuSplit, roundTo } from '../context.js';
import { Histogram, type LatencySummary } from '../histogram.js';
import { inParallel, request } from '../http.js';
import { pairRoomId } from './messaging.js';

const MEMBERS_PER_ZADD = 1000;
const ZADDS_IN_FLIGHT = 8;
const WARM_UP_REQUESTS = 50;

export interface HistoryResult {
  scenario: 'history';
  instances: number;
  roomMessages: number;
  fillS: number;
  requests: number;
  pageSize: number;
  concurrency: number;
  failed: number;
  requestsPerS: number;
  latencyMs: LatencySummary;
  serverCpuUsPerRequest: number;
  cpu: CpuSplit;
}

async function fillRoom(
  redis: { url: string; cluster: boolean },
  roomId: string,
  fromIds: string[],
  count: number,
) {
  const client = await connectBenchRedis(redis);
  try {
    // One message per millisecond, ending now, so the newest page is the most recent.
    const firstMicros = Date.now() * 1000 - count * 1000;
    const batches = Math.ceil(count / MEMBERS_PER_ZADD);
    await inParallel(
      Array.from({ length: batches }, (_, b) => b),
      ZADDS_IN_FLIGHT,
      async (batch) => {
        const members = [];
        const end = Math.min(count, (batch + 1) * MEMBERS_PER_ZADD);
        for (let i = batch * MEMBERS_PER_ZADD; i < end; i++) {
          const micros = firstMicros + i * 1000;
          const message: ChatMessage = {
            id: `${micros}-h${i.toString(36)}`,
            from: fromIds[i % fromIds.length] as string,
            date: Math.floor(micros / 1e6),
            message: `history message ${i}`,
            roomId,
          };
          members.push({ score: micros / 1e6, value: JSON.stringify(message) });
        }
        await client.zAdd(roomKey(roomId), members);
      },
    );
    return await client.zCard(roomKey(roomId));
  } finally {
    await client.close();
  }
}

export async function runHistory(ctx: BenchContext): Promise<HistoryResult> {
  const params = ctx.options.history;
  const { redisUrl, redisCluster } = ctx.deployment;
  if (!redisUrl) throw new Error('the history scenario needs --redis-url with --url');
  // Users 0 and 2 are not paired by the private scenario, so their room holds only this fill.
  const users = await ctx.users(3);
  const [reader, other] = [users[0], users[2]];
  if (!reader || !other) throw new Error('need three users');
  const roomId = pairRoomId(reader, other);

  const fillStarted = performance.now();
  const stored = await fillRoom(
    { url: redisUrl, cluster: redisCluster },
    roomId,
    [reader.id, other.id],
    params.messages,
  );
  const fillS = (performance.now() - fillStarted) / 1000;

  const maxOffset = Math.max(0, stored - params.pageSize);
  const page = (offset: number) =>
    request(
      'GET',
      `${reader.url}/room/${roomId}/messages?offset=${offset}&size=${params.pageSize}`,
      { cookie: reader.cookie },
    );
  for (let i = 0; i < WARM_UP_REQUESTS; i++) await page(Math.floor(Math.random() * maxOffset));

  const latency = new Histogram();
  let failed = 0;
  const offsets = Array.from({ length: params.requests }, (_, i) =>
    // The first request reads the newest page, as a client opening the room does.
    i === 0 ? 0 : Math.floor(Math.random() * (maxOffset + 1)),
  );
  await ctx.waitForQuietMachine();
  const window = ctx.window('history');
  const started = performance.now();
  await inParallel(offsets, params.concurrency, async (offset) => {
    const t0 = performance.now();
    const answer = await page(offset);
    latency.record((performance.now() - t0) * 1000);
    if (
      answer.status !== 200 ||
      (JSON.parse(answer.body) as unknown[]).length !== params.pageSize
    ) {
      failed++;
    }
  });
  const elapsedS = (performance.now() - started) / 1000;
  const { serverCpuS, ...cpu } = window.stop();

  return {
    scenario: 'history',
    instances: ctx.deployment.urls.length,
    roomMessages: stored,
    fillS: roundTo(fillS, 2),
    requests: params.requests,
    pageSize: params.pageSize,
    concurrency: params.concurrency,
    failed,
    requestsPerS: roundTo(params.requests / elapsedS, 1),
    latencyMs: latency.summaryMs(),
    serverCpuUsPerRequest: roundTo((serverCpuS * 1e6) / params.requests, 1),
    cpu,
  };
}
