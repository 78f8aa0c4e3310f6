/**
 * Directory search: public group rooms are created straight in Redis through the rooms feature's
 * own store (RedisRoomStore.createGroupRoom, then list() with directoryEntriesOf — what
 * RoomRules.create does after its rate limit), up to 1k, 10k and 100k rooms by default; at each
 * step GET /rooms is timed one request at a time for queries of different shapes: the first page
 * of every room (no search), a syllable many names start a word with, the whole name of one
 * room, and following `next` cursors page after page (`after`).
 *
 * Names are two made-up words and a number ("kato mira 1b2"): words are two syllables of 95, so
 * a syllable starts about 1 % of the words (2 % of the names) and a whole word about 0.01 %.
 */
import { directoryEntriesOf } from '../../src/server/features/rooms/directory-index.js';
import { RedisRoomStore } from '../../src/server/features/rooms/redis-store.js';
import { checkRoomName } from '../../src/server/features/rooms/rules.js';
import { directoryNamesKey } from '../../src/server/kernel/redis/keys.js';
import { type BenchContext, type CpuSplit, roundTo } from '../context.js';
import { Histogram, type LatencySummary } from '../histogram.js';
import { type BenchUser, inParallel, request, signIn } from '../http.js';
import { connectBenchRedis } from '../redis.js';

/** Rooms being created at once (node-redis pipelines the commands issued meanwhile). */
const CREATIONS_IN_FLIGHT = 256;
/** Untimed pages per step first: the smallest step runs right after the server started. */
const WARM_UP_REQUESTS = 100;
const CONSONANTS = 'bdfghjklmnprstvwxyz'.split('');
const VOWELS = 'aeiou'.split('');
/** The syllable searched for: a word start shared by many names. */
const COMMON_SYLLABLE = 'ka';

const syllable = (n: number) =>
  `${CONSONANTS[Math.floor(n / VOWELS.length) % CONSONANTS.length]}${VOWELS[n % VOWELS.length]}`;
const SYLLABLES = CONSONANTS.length * VOWELS.length;

/** A deterministic generator, so two runs create the same names. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * The name of the room created i-th in this run: unique, and of the same length for every i, so
 * that the whole name finds that room only.
 */
function roomName(runId: string, i: number, next: () => number): string {
  const word = () =>
    syllable(Math.floor(next() * SYLLABLES)) + syllable(Math.floor(next() * SYLLABLES));
  return `${word()} ${word()} ${runId}${i.toString(36).padStart(4, '0')}`;
}

type QueryName = 'all' | 'common' | 'exact' | 'pages';

export interface DirectoryQueryResult {
  /** The search text (empty: every room). */
  search: string;
  /** Rooms in the first page. */
  firstPageRooms: number;
  latencyMs: LatencySummary;
}

export interface DirectoryStep {
  /** Public rooms this run had created when the step was measured. */
  rooms: number;
  /** Rooms in the directory's index (others' rooms too on an existing deployment). */
  indexed: number;
  /** Seconds to create this step's new rooms through the store. */
  createS: number;
  failed: number;
  queries: Record<QueryName, DirectoryQueryResult>;
  serverCpuUsPerRequest: number;
  cpu: CpuSplit;
}

export interface DirectoryResult {
  scenario: 'directory';
  instances: number;
  requestsPerQuery: number;
  pageSize: number;
  steps: DirectoryStep[];
}

interface Page {
  rooms: { id: string; name: string }[];
  next: string | null;
}

async function measure(
  ctx: BenchContext,
  reader: BenchUser,
  rooms: number,
  exactName: string,
): Promise<Omit<DirectoryStep, 'rooms' | 'indexed' | 'createS'>> {
  const { requests, pageSize } = ctx.options.directory;
  const page = async (search: string, after: string | null) => {
    const query = new URLSearchParams({ size: String(pageSize) });
    if (search) query.set('search', search);
    if (after) query.set('after', after);
    const t0 = performance.now();
    const answer = await request('GET', `${reader.url}/rooms?${query}`, { cookie: reader.cookie });
    const us = (performance.now() - t0) * 1000;
    return { us, page: answer.status === 200 ? (JSON.parse(answer.body) as Page) : null };
  };
  const plan: [QueryName, string][] = [
    ['all', ''],
    ['common', COMMON_SYLLABLE],
    ['exact', exactName],
    // Every room, page after page from the first, starting over at the end.
    ['pages', ''],
  ];
  for (let i = 0; i < WARM_UP_REQUESTS; i++) {
    const [, search] = plan[i % plan.length] as [QueryName, string];
    await page(search, null);
  }

  let failed = 0;
  const queries = {} as Record<QueryName, DirectoryQueryResult>;
  await ctx.waitForQuietMachine();
  const window = ctx.window(`directory-${rooms}`);
  for (const [name, search] of plan) {
    const latency = new Histogram();
    let firstPageRooms = 0;
    let after: string | null = null;
    for (let i = 0; i < requests; i++) {
      const answer = await page(search, name === 'pages' ? after : null);
      latency.record(answer.us);
      if (!answer.page) {
        failed++;
        continue;
      }
      if (i === 0) firstPageRooms = answer.page.rooms.length;
      after = answer.page.next;
    }
    queries[name] = { search, firstPageRooms, latencyMs: latency.summaryMs() };
  }
  const { serverCpuS, ...cpu } = window.stop();
  return {
    failed,
    queries,
    serverCpuUsPerRequest: roundTo((serverCpuS * 1e6) / (requests * plan.length), 1),
    cpu,
  };
}

export async function runDirectory(ctx: BenchContext): Promise<DirectoryResult> {
  const params = ctx.options.directory;
  const { redisUrl, redisCluster } = ctx.deployment;
  if (!redisUrl) throw new Error('the directory scenario needs --redis-url with --url');
  const url = ctx.deployment.urls[0] as string;
  // The rooms' creator and the reader: two users of their own, so no other scenario's lists grow.
  const creator = await signIn(url, `dir${ctx.runId}-owner`, -1);
  const reader = await signIn(url, `dir${ctx.runId}-reader`, -2);

  const client = await connectBenchRedis({ url: redisUrl, cluster: redisCluster });
  const store = new RedisRoomStore(client);
  const next = random(7);
  const steps: DirectoryStep[] = [];
  let created = 0;
  let exactName = '';
  try {
    for (const target of [...params.counts].sort((a, b) => a - b)) {
      console.error(`bench: directory of ${target} rooms...`);
      const names = Array.from({ length: Math.max(0, target - created) }, (_, i) =>
        roomName(ctx.runId, created + i, next),
      );
      const createStarted = performance.now();
      // As RoomRules.create does it: the checked name claims its skeleton, then is listed.
      await inParallel(names, CREATIONS_IN_FLIGHT, async (name) => {
        const checked = checkRoomName(name);
        const roomId = await store.createGroupRoom(
          checked.name,
          checked.skeleton,
          'public',
          creator.id,
        );
        if (roomId === null) throw new Error(`room name "${name}" is taken`);
        await store.list(directoryEntriesOf(roomId, checked.name));
      });
      const createS = (performance.now() - createStarted) / 1000;
      created = target;
      // A room in the middle of this step's names: its whole name finds it (and nothing else).
      exactName = names[Math.floor(names.length / 2)] ?? exactName;
      const indexed = await client.zCard(directoryNamesKey());
      steps.push({
        rooms: created,
        indexed,
        createS: roundTo(createS, 2),
        ...(await measure(ctx, reader, created, exactName)),
      });
    }
  } finally {
    await client.close();
  }
  return {
    scenario: 'directory',
    instances: ctx.deployment.urls.length,
    requestsPerQuery: params.requests,
    pageSize: params.pageSize,
    steps,
  };
}
