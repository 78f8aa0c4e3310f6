/**
 * The room directory is an index: a page costs the same Redis commands with 50 public rooms as
 * with 500, it pages with a cursor, finds rooms by the start of any word of their name, and is
 * built at start from public rooms that were made before it existed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryPage } from '../../src/protocol/models.js';
import { HttpClient } from '../support/clients.js';
import { type TestRedis, startTestRedis } from '../support/redis.js';
import { type InProcessServer, startInProcessServer } from '../support/server.js';

const PAGE_SIZE = 20;
/** Requests made to the server at once while rooms are created. */
const CREATE_CONCURRENCY = 8;

let redis: TestRedis;
let server: InProcessServer;
let ada: HttpClient;
let created = 0;

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startInProcessServer(redis.url, { ROOMS_PER_USER_PER_HOUR: '0' });
  ada = new HttpClient(server.url);
  await ada.login('Ada');
});

afterAll(async () => {
  await server?.stop();
  await redis?.stop();
});

/** Creates public rooms "Design <n> team" until there are `total`. */
async function createRoomsUpTo(total: number): Promise<void> {
  const names = Array.from({ length: total - created }, (_, i) => `Design ${created + i} team`);
  created = total;
  for (let i = 0; i < names.length; i += CREATE_CONCURRENCY) {
    const batch = names.slice(i, i + CREATE_CONCURRENCY);
    const answers = await Promise.all(batch.map((name) => ada.post('/rooms', { name })));
    for (const answer of answers) expect(answer.status).toBe(201);
  }
}

/** Calls of every command so far, from INFO commandstats. */
async function commandsSoFar(): Promise<number> {
  const stats = await redis.client.info('commandstats');
  return [...stats.matchAll(/calls=(\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
}

/**
 * Redis commands one GET /rooms costs (the least of a few tries, so that a heartbeat of the
 * instance falling into one of them does not count). The INFO calls themselves count the same
 * each time.
 */
async function commandsPerPage(query: string): Promise<number> {
  let least = Infinity;
  for (let i = 0; i < 3; i++) {
    const before = await commandsSoFar();
    const page = await ada.get<DirectoryPage>(`/rooms${query}`);
    const after = await commandsSoFar();
    expect(page.status).toBe(200);
    expect(page.body.rooms).toHaveLength(PAGE_SIZE);
    least = Math.min(least, after - before);
  }
  return least;
}

describe('the room directory', () => {
  it('costs the same Redis commands per page with 50 public rooms as with 500', async () => {
    const queries = ['', '?search=des', '?search=TEAM', `?search=design%20&size=${PAGE_SIZE}`];
    const costs = async () => {
      const each: number[] = [];
      for (const query of queries) each.push(await commandsPerPage(query));
      return each;
    };
    await createRoomsUpTo(50);
    const with50 = await costs();
    await createRoomsUpTo(500);
    const with500 = await costs();
    expect(with500).toEqual(with50);
    // A page: the session, one range, and a name and a member count per room, one membership.
    for (const cost of with50) expect(cost).toBeLessThan(2 * PAGE_SIZE + 10);
  }, 120_000);

  it('pages through every room once with the cursor of each page', async () => {
    const seen = new Set<string>();
    let after: string | null = null;
    let pages = 0;
    do {
      const query: string = after === null ? '?search=team' : `?search=team&after=${after}`;
      const page = await ada.get<DirectoryPage>(`/rooms${query}&size=50`);
      expect(page.status).toBe(200);
      for (const room of page.body.rooms) {
        expect(seen.has(room.id)).toBe(false);
        seen.add(room.id);
        expect(room).toMatchObject({ memberCount: 1, joined: true });
      }
      after = page.body.next;
      pages += 1;
    } while (after !== null);
    expect(seen.size).toBe(created);
    expect(pages).toBe(Math.ceil(created / 50));
  });

  it('refuses a cursor of another search', async () => {
    const first = await ada.get<DirectoryPage>('/rooms?search=design');
    const refused = await ada.get(`/rooms?search=team&after=${first.body.next}`);
    expect(refused).toMatchObject({ status: 400, body: { code: 'bad_request' } });
  });

  it('is built at start from public rooms made before it, once', async () => {
    // A public room as an earlier version wrote it: listed in public_rooms, in no index.
    await Promise.all([
      redis.client.sAdd('public_rooms', '90000'),
      redis.client.set('room:90000:name', 'Older Lounge'),
      redis.client.hSet('room:90000:info', { visibility: 'public', createdBy: '1' }),
      redis.client.del('public_rooms:indexed'),
    ]);
    const search = async (on: InProcessServer) => {
      const client = new HttpClient(on.url);
      client.cookie = ada.cookie;
      return (await client.get<DirectoryPage>('/rooms?search=lounge')).body.rooms;
    };
    expect(await search(server)).toEqual([]);
    const restarted = await startInProcessServer(redis.url);
    try {
      expect(await search(restarted)).toEqual([
        { id: '90000', name: 'Older Lounge', memberCount: 0, joined: false },
      ]);
      expect(await redis.client.exists('public_rooms:indexed')).toBe(1);
    } finally {
      await restarted.stop();
    }
  });
});
