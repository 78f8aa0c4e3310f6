/**
 * The HTTP API of one instance against a real Redis: the seed's routes, the demo data, sessions,
 * authorization and every refusal for bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ChatMessage,
  RoomSummary,
  SessionUser,
  UserPresence,
} from '../../src/protocol/index.js';
import { HttpClient } from '../support/clients.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { type InProcessServer, startInProcessServer } from '../support/server.js';
import { waitFor } from '../support/wait.js';

let redis: TestRedis;
let server: InProcessServer;
const client = () => new HttpClient(server.url);

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startInProcessServer(redis.url);
});

afterAll(async () => {
  await server?.stop();
  await redis?.stop();
});

describe('demo data', () => {
  it('creates the seed users, General, a greeting per pair and five General messages', async () => {
    expect(await redis.client.get('total_users')).toBe('4');
    expect(await redis.client.get('room:0:name')).toBe('General');
    for (const [i, name] of ['Pablo', 'Joe', 'Mary', 'Alex'].entries()) {
      const id = String(i + 1);
      expect(await redis.client.get(`username:${name}`)).toBe(`user:${id}`);
      const user = await redis.client.hGetAll(`user:${id}`);
      expect(user.username).toBe(name);
      expect(user.password).toMatch(/^\$2b\$10\$/);
      expect(await redis.client.sIsMember(`user:${id}:rooms`, '0')).toBe(1);
    }
    for (const roomId of ['1:2', '1:3', '1:4', '2:3', '2:4', '3:4']) {
      expect(await redis.client.zCard(`room:${roomId}`)).toBe(1);
      const [low, high] = roomId.split(':');
      expect(await redis.client.sIsMember(`user:${low}:rooms`, roomId)).toBe(1);
      expect(await redis.client.sIsMember(`user:${high}:rooms`, roomId)).toBe(1);
    }
    expect(await redis.client.zCard('room:0')).toBe(5);
  });

  it('is written once when several instances start on an empty Redis at the same moment', async () => {
    const fresh = await startTestRedis();
    try {
      const servers = await Promise.all([1, 2, 3].map(() => startInProcessServer(fresh.url)));
      await Promise.all(servers.map((s) => s.stop()));
      expect(await fresh.client.get('total_users')).toBe('4');
      expect(await fresh.client.zCard('room:0')).toBe(5);
      expect(await fresh.client.zCard('room:1:2')).toBe(1);
    } finally {
      await fresh.stop();
    }
  });
});

describe('sessions', () => {
  it('signs in a demo user, with an HttpOnly SameSite=Lax cookie and a new session id', async () => {
    const http = client();
    expect((await http.get('/me')).body).toBeNull();

    const first = await http.post<SessionUser>('/login', {
      username: 'Pablo',
      password: 'password123',
    });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ id: '1', username: 'Pablo', admin: false });
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/i); // plain HTTP here
    const firstCookie = http.cookie;

    expect((await http.get<SessionUser>('/me')).body).toEqual({
      id: '1',
      username: 'Pablo',
      admin: false,
    });
    await http.post('/login', { username: 'Pablo', password: 'password123' });
    expect(http.cookie).not.toBe(firstCookie);

    // The replaced session is gone: its cookie no longer signs anyone in.
    const stale = client();
    stale.cookie = firstCookie;
    expect((await stale.get('/me')).body).toBeNull();
  });

  it('registers an unknown name with 201, then signs it in with 200', async () => {
    const http = client();
    const created = await http.post<SessionUser>('/login', {
      username: 'new.user-1',
      password: 's3cret',
    });
    expect(created.status).toBe(201);
    const again = await client().post<SessionUser>('/login', {
      username: 'new.user-1',
      password: 's3cret',
    });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(created.body.id);
    expect(await redis.client.sMembers(`user:${created.body.id}:rooms`)).toEqual(['0']);
  });

  it('refuses a wrong password with 401 and a message', async () => {
    const result = await client().post('/login', { username: 'Joe', password: 'nope' });
    expect(result.status).toBe(401);
    expect(result.body).toEqual({
      code: 'invalid_credentials',
      message: 'Invalid username or password',
    });
  });

  it('creates one user when the same new name registers concurrently', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 6 }, () =>
        client().post<SessionUser>('/login', { username: 'Racer', password: 'pw' }),
      ),
    );
    expect(attempts.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(attempts.map((a) => a.body.id)).size).toBe(1);
    const id = attempts[0]?.body.id ?? '';
    expect(await redis.client.get('username:Racer')).toBe(`user:${id}`);
  });

  it('renews a session when its saved expiry is stale, instead of re-saving it on every request', async () => {
    const http = client();
    const joe = await http.login('Joe');
    const signed = decodeURIComponent(http.cookie.slice(http.cookie.indexOf('=') + 1));
    const key = `session:${signed.slice(0, signed.lastIndexOf('.'))}`;
    const fresh = await http.get('/me');
    expect(fresh.body).toEqual(joe);
    expect(fresh.headers.get('set-cookie')).toBeNull();

    // As if saved long ago: an hour left of its week.
    const stored = JSON.parse((await redis.client.get(key)) ?? '{}') as {
      cookie: { expires: string };
    };
    stored.cookie.expires = new Date(Date.now() + 3_600_000).toISOString();
    await redis.client.set(key, JSON.stringify(stored), {
      expiration: { type: 'EX', value: 3600 },
    });
    const renewed = await http.get('/me');
    expect(renewed.body).toEqual(joe);
    expect(renewed.headers.get('set-cookie')).toMatch(/chat\.sid=.*Expires=/);
    expect(await redis.client.ttl(key)).toBeGreaterThan(6 * 24 * 3600);
    const saved = JSON.parse((await redis.client.get(key)) ?? '{}') as typeof stored;
    expect(Date.parse(saved.cookie.expires)).toBeGreaterThan(Date.now() + 6 * 24 * 3_600_000);

    // An expired one still signs nobody in.
    saved.cookie.expires = new Date(Date.now() - 1000).toISOString();
    await redis.client.set(key, JSON.stringify(saved));
    expect((await http.get('/me')).body).toBeNull();
  });

  it('signs out: the session is destroyed', async () => {
    const http = client();
    await http.login('Mary');
    const cookie = http.cookie;
    expect((await http.post('/logout')).status).toBe(204);
    const old = client();
    old.cookie = cookie;
    expect((await old.get('/me')).body).toBeNull();
    expect((await old.get('/users/online')).status).toBe(401);
  });
});

describe('bad input', () => {
  const login = (body: unknown) => client().post('/login', body);

  it.each([
    [{ password: 'x' }, /username/],
    [{ username: 'Pablo' }, /password/],
    [{ username: 42, password: 'x' }, /username must be a string/],
    [{ username: 'a b', password: 'x' }, /username must be 1–32 characters/],
    [{ username: 'x'.repeat(33), password: 'x' }, /username must be 1–32 characters/],
    [{ username: '', password: 'x' }, /username/],
    [{ username: 'long', password: 'é'.repeat(37) }, /password must be at most 72 bytes/],
    [[1, 2], /body must be a JSON object/],
  ])('refuses login body %j with a 400 naming the problem', async (body, message) => {
    const result = await login(body);
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(message),
    });
  });

  it('refuses a body that is not JSON', async () => {
    const result = await client().request('POST', '/login', undefined, '{"username": "Pablo"');
    expect(result.status).toBe(400);
    expect(result.body).toEqual({ code: 'bad_request', message: 'body is not valid JSON' });
  });

  it('refuses a body over 64 KiB and keeps serving', async () => {
    const big = JSON.stringify({ username: 'Pablo', password: 'x'.repeat(70 * 1024) });
    const result = await client().request('POST', '/login', undefined, big);
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ message: 'body is larger than 64 KiB' });
    expect((await client().get('/healthz')).status).toBe(200);
  });

  it('refuses a body of another content type', async () => {
    const result = await client().request('POST', '/login', undefined, 'username=Pablo', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(result.status).toBe(415);
    expect(result.body).toMatchObject({
      code: 'unsupported_media_type',
      message: expect.stringMatching(/JSON/),
    });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const result = await client().get('/nope');
    expect(result.status).toBe(404);
    expect(result.body).toEqual({ code: 'not_found', message: 'no route GET /nope' });
  });
});

describe('authorization', () => {
  it.each([
    ['POST', '/logout'],
    ['GET', '/users/online'],
    ['GET', '/users?ids[]=1'],
    ['GET', '/rooms/1'],
    ['POST', '/room'],
    ['GET', '/room/0/messages?offset=0&size=5'],
    ['GET', '/room/0/preload'],
    ['GET', '/stream'],
  ])('%s %s needs a session: 401 JSON', async (method, path) => {
    const result = await client().request(method, path, method === 'POST' ? {} : undefined);
    expect(result.status).toBe(401);
    expect(result.body).toEqual({
      code: 'unauthenticated',
      message: 'sign in first: this needs a session',
    });
  });

  it.each(['/me', '/links', '/randomname', '/healthz', '/readyz'])(
    '%s needs no session',
    async (path) => {
      expect((await client().get(path)).status).toBe(200);
    },
  );

  it("refuses another user's room list", async () => {
    const http = client();
    await http.login('Pablo');
    const result = await http.get('/rooms/2');
    expect(result.status).toBe(403);
    expect(result.body).toMatchObject({
      code: 'forbidden',
      message: 'you can only list your own rooms',
    });
  });

  it("refuses another pair's private room history", async () => {
    const http = client();
    await http.login('Pablo');
    const result = await http.get('/room/2:3/messages?offset=0&size=5');
    expect(result.status).toBe(403);
    expect(result.body).toMatchObject({ code: 'forbidden' });
  });
});

describe('users and rooms', () => {
  it('lists users by id with presence, leaving unknown ids out', async () => {
    const http = client();
    await http.login('Pablo');
    const result = await http.get<Record<string, UserPresence>>('/users?ids[]=1&ids[]=2&ids[]=999');
    expect(result.body).toEqual({
      '1': { id: '1', username: 'Pablo', online: false },
      '2': { id: '2', username: 'Joe', online: false },
    });
    const single = await http.get<Record<string, UserPresence>>('/users?ids[]=3');
    expect(Object.keys(single.body)).toEqual(['3']);
    expect((await http.get('/users?ids[]=abc')).status).toBe(400);
  });

  it("lists the caller's rooms with names and last messages", async () => {
    const http = client();
    await http.login('Pablo');
    const rooms = (await http.get<RoomSummary[]>('/rooms/1')).body;
    const byId = new Map(rooms.map((room) => [room.id, room]));
    expect(byId.get('0')?.names).toEqual(['General']);
    expect(byId.get('1:2')?.names).toEqual(['Pablo', 'Joe']);
    expect(byId.get('1:3')?.names).toEqual(['Pablo', 'Mary']);
    expect(byId.get('1:4')?.lastMessage?.roomId).toBe('1:4');
    expect(rooms).toHaveLength(4);
  });

  it('opens a private room with a new user, only as one of its two members', async () => {
    const newcomer = client();
    const me = await newcomer.login('Newcomer', 'pw');
    const opened = await newcomer.post<RoomSummary>('/room', { user1: me.id, user2: 3 });
    expect(opened.status).toBe(201);
    expect(opened.body).toEqual({ id: `3:${me.id}`, names: ['Mary', 'Newcomer'], kind: 'direct' });
    expect(await redis.client.sIsMember(`user:3:rooms`, `3:${me.id}`)).toBe(1);

    expect((await newcomer.post('/room', { user1: '2', user2: '3' })).status).toBe(403);
    expect((await newcomer.post('/room', { user1: me.id, user2: me.id })).status).toBe(400);
    const missing = await newcomer.post('/room', { user1: me.id, user2: '9999' });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ message: 'user 9999 does not exist' });
    expect((await newcomer.post('/room', { user1: me.id })).status).toBe(400);
  });

  it('serves links, a valid random name, health and readiness', async () => {
    const http = client();
    expect((await http.get('/links')).body).toEqual({});
    const name = (await http.get<string>('/randomname')).body;
    expect(name).toMatch(/^[A-Za-z0-9._-]{1,32}$/);
    expect((await http.get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await http.get('/readyz')).body).toEqual({ status: 'ok' });
  });
});

describe('messages', () => {
  let http: HttpClient;
  beforeAll(async () => {
    http = client();
    await http.login('Alex');
  });

  it('pages General newest first, a page of size N holding N messages', async () => {
    const page = (await http.get<ChatMessage[]>('/room/0/messages?offset=0&size=3')).body;
    expect(page).toHaveLength(3);
    expect(page.map((m) => m.message)).toEqual([
      "Wow that's great",
      'Next meeting tomorrow 10.00AM',
      'Yeah everything is fine',
    ]);
    const next = (await http.get<ChatMessage[]>('/room/0/messages?offset=3&size=3')).body;
    expect(next.map((m) => m.message)).toEqual([
      'Hi, How are you? What about our next meeting?',
      'Hello!',
    ]);
    const defaults = (await http.get<ChatMessage[]>('/room/0/messages')).body;
    expect(defaults).toHaveLength(5);
  });

  it('preloads General', async () => {
    const preload = await http.get<{ id: string; name: string; messages: ChatMessage[] }>(
      '/room/0/preload',
    );
    expect(preload.body.id).toBe('0');
    expect(preload.body.name).toBe('General');
    expect(preload.body.messages).toHaveLength(5);
  });

  it.each([
    ['/room/0/messages?offset=-1&size=5', /offset must be a non-negative integer/],
    ['/room/0/messages?offset=0&size=0', /size must be between 1 and 100/],
    ['/room/0/messages?offset=0&size=101', /size must be between 1 and 100/],
    ['/room/0/messages?offset=x', /offset must be a non-negative integer/],
    ['/room/abc/messages', /roomId is not a valid room id/],
    ['/room/0/messages?after=nope', /after must be a message id/],
  ])('refuses %s with a 400', async (path, message) => {
    const result = await http.get(path);
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(message),
    });
  });

  it.each(['/room/77/messages', '/room/4:999/messages'])(
    'answers 404 for a room that does not exist: %s',
    async (path) => {
      const result = await http.get(path);
      expect(result.status).toBe(404);
      expect(result.body).toMatchObject({
        code: 'not_found',
        message: expect.stringMatching(/does not exist/),
      });
    },
  );

  it('gives the messages after a known one, oldest first', async () => {
    const all = (await http.get<ChatMessage[]>('/room/0/messages?offset=0&size=5')).body.reverse();
    const after = (await http.get<ChatMessage[]>(`/room/0/messages?after=${all[1]?.id}`)).body;
    expect(after.map((m) => m.id)).toEqual(all.slice(2).map((m) => m.id));
    const limited = (await http.get<ChatMessage[]>(`/room/0/messages?after=${all[0]?.id}&size=2`))
      .body;
    expect(limited.map((m) => m.id)).toEqual(all.slice(1, 3).map((m) => m.id));
  });

  it("reads back messages the seed's servers stored", async () => {
    await redis.client.del('room:3:4');
    const seedMembers = [
      // Python: float date, numeric from, HTML-escaped text
      {
        score: 1615480369,
        value: JSON.stringify({
          from: 3,
          date: 1615480369.123,
          message: 'a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;',
          roomId: '3:4',
        }),
      },
      // .NET style: capitalised keys, string from
      {
        score: 1615480370,
        value: JSON.stringify({ From: '4', Date: 1615480370, Message: 'hi', RoomId: '3:4' }),
      },
      // not a message at all: skipped
      { score: 1615480371, value: 'garbage' },
    ];
    await redis.client.zAdd('room:3:4', seedMembers);
    const page = (await http.get<ChatMessage[]>('/room/3:4/messages?offset=0&size=10')).body;
    expect(page).toHaveLength(2);
    expect(page[1]).toMatchObject({
      from: '3',
      date: 1615480369,
      message: `a <b> & "c" 'd'`,
      roomId: '3:4',
    });
    expect(page[0]).toMatchObject({ from: '4', date: 1615480370, message: 'hi', roomId: '3:4' });
    expect(page[0]?.id).toMatch(/^[0-9]+-s[0-9a-z]+$/);
  });
});

describe('login rate limits', () => {
  let limited: InProcessServer;
  beforeAll(async () => {
    limited = await startInProcessServer(redis.url, {
      LOGIN_FAILURES_PER_USERNAME: '3',
      LOGIN_FAILURES_PER_IP: '5',
      REGISTRATIONS_PER_IP_PER_HOUR: '0',
      DEMO_DATA: 'false',
    });
  });
  afterAll(() => limited?.stop());

  it('limits failed sign-ins per username with 429 and Retry-After, even with the right password', async () => {
    const http = new HttpClient(limited.url);
    for (let i = 0; i < 3; i++) {
      expect((await http.post('/login', { username: 'Mary', password: 'wrong' })).status).toBe(401);
    }
    const blocked = await http.post('/login', { username: 'Mary', password: 'password123' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.body).toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/username/),
    });
    await redis.client.del('ratelimit:login:ip:127.0.0.1');
  });

  it('limits failed sign-ins per address, across usernames', async () => {
    const http = new HttpClient(limited.url);
    for (let i = 0; i < 5; i++) {
      expect((await http.post('/login', { username: `Ghost${i}x`, password: 'pw' })).status).toBe(
        201,
      );
      expect(
        (await http.post('/login', { username: `Ghost${i}x`, password: 'wrong' })).status,
      ).toBe(401);
    }
    const blocked = await http.post('/login', { username: 'Joe', password: 'password123' });
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ message: expect.stringMatching(/address/) });
    await redis.client.del('ratelimit:login:ip:127.0.0.1');
  });

  it('queues a burst of registrations from one address (limit off) and lets each through', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        new HttpClient(limited.url).post('/login', { username: `bench${i}`, password: 'pw' }),
      ),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
  });
});

describe('readiness', () => {
  it('reports a Redis outage with 503 and recovers', async () => {
    const own = await startTestRedis();
    const instance = await startInProcessServer(own.url, { DEMO_DATA: 'false' });
    try {
      const http = new HttpClient(instance.url);
      expect((await http.get('/readyz')).status).toBe(200);
      await own.pause();
      const down = await http.get('/readyz');
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ code: 'unavailable', message: 'Redis is unreachable' });
      expect((await http.get('/healthz')).status).toBe(200);
      await own.resume();
      await waitFor(
        'readiness after Redis is back',
        async () => (await http.get('/readyz')).status === 200,
      );
    } finally {
      await instance.stop();
      await own.stop();
    }
  });
});
