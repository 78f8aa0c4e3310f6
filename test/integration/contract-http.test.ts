/**
 * The HTTP route table holds against the running server, with a real Redis: every route of the
 * table answers a success and a refusal, each answer's status is one the table declares for its
 * route and its body is exactly what the schema for that status describes (nothing undeclared),
 * and the server registers no route the table does not declare.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryPage } from '../../src/protocol/models.js';
import { type RouteDeclaration, answersOf, pathOf } from '../../src/protocol/route-table.js';
import { type RouteName, routes } from '../../src/protocol/routes.js';
import { HttpClient } from '../support/clients.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { type InProcessServer, startInProcessServer } from '../support/server.js';

let redis: TestRedis;
let server: InProcessServer;
const people: Record<'anonymous' | 'pablo' | 'joe' | 'mary', HttpClient> = {} as never;
let generalMessageId = '';

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startInProcessServer(redis.url, { ADMIN_USERS: 'Pablo' });
  people.anonymous = new HttpClient(server.url);
  for (const name of ['pablo', 'joe', 'mary'] as const) {
    people[name] = new HttpClient(server.url);
    await people[name].login(name[0]!.toUpperCase() + name.slice(1));
  }
  const page = await people.pablo.get<{ id: string }[]>('/room/0/messages?offset=0&size=1');
  generalMessageId = page.body[0]!.id;
});

afterAll(async () => {
  await server?.stop();
  await redis?.stop();
});

/** One request of a case: who sends it, to which path (the route's own with these params). */
interface Call {
  as?: keyof typeof people | HttpClient;
  params?: Record<string, string>;
  /** Appended to the path as it is (to send what a client might, valid or not). */
  query?: string;
  body?: unknown;
  /** A body that is not JSON (an upload): its type and bytes. */
  raw?: { type: string; data: Uint8Array<ArrayBuffer> };
  /** The status this call must get. */
  status: number;
}

type Case = Call | (() => Promise<Call>);

/**
 * For every route of the table (a route added to the table and not here does not compile):
 * calls that must succeed, then calls that must be refused. Routes that only Redis being away can
 * make fail get their refusal in the outage at the end.
 */
const CASES: { [N in RouteName]: { ok: Case[]; refused: Case[] } } = {
  me: { ok: [{ as: 'anonymous', status: 200 }, { status: 200 }], refused: [] },
  login: {
    ok: [
      { as: 'anonymous', body: { username: 'Pablo', password: 'password123' }, status: 200 },
      { as: 'anonymous', body: { username: 'contract-new', password: 'secret' }, status: 201 },
    ],
    refused: [
      { as: 'anonymous', body: { username: 'Pablo', password: 'wrong' }, status: 401 },
      { as: 'anonymous', body: { username: 'a b', password: 'x' }, status: 400 },
    ],
  },
  logout: {
    ok: [
      async () => {
        const leaving = new HttpClient(server.url);
        await leaving.login('Alex');
        return { as: leaving, body: {}, status: 204 };
      },
    ],
    refused: [{ as: 'anonymous', body: {}, status: 401 }],
  },
  logoutAll: {
    ok: [
      async () => {
        const leaving = new HttpClient(server.url);
        await leaving.login('contract-everywhere', 'secret');
        return { as: leaving, body: {}, status: 204 };
      },
    ],
    refused: [{ as: 'anonymous', body: {}, status: 401 }],
  },
  changePassword: {
    ok: [
      async () => {
        const changing = new HttpClient(server.url);
        await changing.login('contract-password', 'old-secret');
        return { as: changing, body: { current: 'old-secret', password: 'new' }, status: 204 };
      },
    ],
    refused: [
      { body: { current: 'wrong', password: 'new' }, status: 401 },
      { body: { current: 'password123' }, status: 400 },
      { as: 'anonymous', body: { current: 'x', password: 'y' }, status: 401 },
    ],
  },
  randomName: { ok: [{ as: 'anonymous', status: 200 }], refused: [] },
  onlineUsers: { ok: [{ status: 200 }], refused: [{ as: 'anonymous', status: 401 }] },
  users: {
    ok: [
      { query: '?ids[]=1&ids[]=2&ids[]=999', status: 200 },
      { query: '?ids[]=3', status: 200 },
    ],
    refused: [{ query: '?ids[]=x', status: 400 }],
  },
  roomsOf: {
    ok: [{ params: { userId: '1' }, status: 200 }],
    refused: [{ params: { userId: '2' }, status: 403 }],
  },
  openPrivateRoom: {
    ok: [{ body: { user1: '1', user2: '2' }, status: 201 }],
    refused: [
      { body: { user1: '2', user2: '3' }, status: 403 },
      { body: { user1: 1, user2: 9999 }, status: 404 },
      { body: { user1: '1', user2: '1' }, status: 400 },
    ],
  },
  createRoom: {
    ok: [
      { body: { name: 'contract-public' }, status: 201 },
      { body: { name: 'contract-private', visibility: 'private' }, status: 201 },
    ],
    refused: [{ body: { name: 'CONTRACT-public' }, status: 409 }],
  },
  directory: {
    ok: [{ query: '?search=contract', status: 200 }, { status: 200 }],
    refused: [
      { query: `?search=${'x'.repeat(41)}`, status: 400 },
      { query: '?size=51', status: 400 },
      { query: '?after=bm90LWEtY3Vyc29y', status: 400 },
    ],
  },
  joinRoom: {
    ok: [async () => ({ as: 'joe', params: { id: await roomId('contract-public') }, status: 200 })],
    refused: [
      { params: { id: '999' }, status: 404 },
      { params: { id: 'abc' }, status: 400 },
    ],
  },
  leaveRoom: {
    ok: [async () => ({ as: 'joe', params: { id: await roomId('contract-public') }, status: 204 })],
    refused: [
      { params: { id: '0' }, status: 400 },
      async () => ({ as: 'joe', params: { id: await roomId('contract-public') }, status: 403 }),
    ],
  },
  invite: {
    ok: [
      async () => ({
        params: { id: await roomId('contract-private') },
        body: { userId: '3' },
        status: 200,
      }),
    ],
    refused: [
      async () => ({
        as: 'joe',
        params: { id: await roomId('contract-private') },
        body: { userId: '2' },
        status: 404,
      }),
      async () => ({
        as: 'joe',
        params: { id: await roomId('contract-public') },
        body: { userId: '2' },
        status: 403,
      }),
    ],
  },
  members: {
    ok: [
      { params: { id: '0' }, status: 200 },
      { params: { id: '1:2' }, status: 200 },
    ],
    refused: [{ params: { id: '2:3' }, status: 403 }],
  },
  preloadGeneral: { ok: [{ status: 200 }], refused: [{ as: 'anonymous', status: 401 }] },
  messages: {
    ok: [
      { params: { id: '0' }, query: '?offset=0&size=5', status: 200 },
      { params: { id: '0' }, status: 200 },
      () =>
        Promise.resolve({
          params: { id: '0' },
          query: `?after=${generalMessageId}`,
          status: 200,
        }),
    ],
    refused: [
      { params: { id: '0' }, query: '?size=0', status: 400 },
      { params: { id: '2:3' }, status: 403 },
      { params: { id: '999' }, status: 404 },
    ],
  },
  search: {
    ok: [
      { query: '?q=hello', status: 200 },
      { query: '?q=hello&roomId=0&size=5', status: 200 },
    ],
    refused: [
      { query: '?q=a', status: 400 },
      { query: '?q=hello&roomId=2:3', status: 403 },
      { as: 'anonymous', query: '?q=hello', status: 401 },
    ],
  },
  markRead: {
    ok: [
      () =>
        Promise.resolve({
          params: { id: '0' },
          body: { messageId: generalMessageId },
          status: 200,
        }),
    ],
    refused: [
      { params: { id: '0' }, body: { messageId: 'nope' }, status: 400 },
      { params: { id: '2:3' }, body: { messageId: '1-a' }, status: 403 },
    ],
  },
  reactions: {
    ok: [
      () =>
        Promise.resolve({
          params: { id: '0' },
          query: `?ids[]=${generalMessageId}`,
          status: 200,
        }),
      { params: { id: '0' }, query: '?ids[]=1-a&ids[]=2-b', status: 200 },
    ],
    refused: [
      { params: { id: '0' }, query: '?ids[]=nope', status: 400 },
      { params: { id: '0' }, status: 400 },
      { params: { id: '2:3' }, query: '?ids[]=1-a', status: 403 },
      { params: { id: '999' }, query: '?ids[]=1-a', status: 404 },
    ],
  },
  mutedRooms: { ok: [{ status: 200 }], refused: [{ as: 'anonymous', status: 401 }] },
  muteRoom: {
    ok: [{ params: { id: '0' }, status: 200 }],
    refused: [
      { params: { id: '2:3' }, status: 403 },
      { params: { id: '999' }, status: 404 },
      { params: { id: 'x y' }, status: 400 },
    ],
  },
  unmuteRoom: {
    ok: [{ params: { id: '0' }, status: 200 }],
    refused: [{ params: { id: 'x y' }, status: 400 }],
  },
  seenBy: {
    ok: [{ params: { id: '1:2' }, status: 200 }],
    refused: [
      { params: { id: '0' }, status: 400 },
      { params: { id: '2:3' }, status: 403 },
      { params: { id: '999' }, status: 404 },
    ],
  },
  uploadFile: {
    ok: [
      {
        params: { id: '0' },
        query: '?name=notes.txt',
        raw: { type: 'text/plain', data: new TextEncoder().encode('notes') },
        status: 201,
      },
    ],
    refused: [
      { params: { id: '0' }, raw: { type: 'text/plain', data: new Uint8Array(1) }, status: 400 },
      {
        params: { id: '0' },
        query: '?name=empty.txt',
        raw: { type: 'text/plain', data: new Uint8Array(0) },
        status: 400,
      },
      {
        params: { id: '2:3' },
        query: '?name=a',
        raw: { type: 'text/plain', data: new Uint8Array(1) },
        status: 403,
      },
      {
        params: { id: '999' },
        query: '?name=a',
        raw: { type: 'text/plain', data: new Uint8Array(1) },
        status: 404,
      },
    ],
  },
  file: {
    ok: [async () => ({ params: { id: '0', fileId: (await pablosUploads()).text }, status: 200 })],
    refused: [
      { params: { id: '0', fileId: 'nope' }, status: 400 },
      { params: { id: '0', fileId: 'A'.repeat(22) }, status: 404 },
      async () => ({
        as: 'joe',
        params: { id: '0', fileId: (await pablosUploads()).text },
        status: 404,
      }),
      { params: { id: '2:3', fileId: 'A'.repeat(22) }, status: 403 },
    ],
  },
  fileThumbnail: {
    ok: [async () => ({ params: { id: '0', fileId: (await pablosUploads()).image }, status: 200 })],
    refused: [
      async () => ({ params: { id: '0', fileId: (await pablosUploads()).text }, status: 404 }),
      { params: { id: '999', fileId: 'A'.repeat(22) }, status: 404 },
    ],
  },
  thread: {
    ok: [
      () =>
        Promise.resolve({
          params: { id: '0', messageId: generalMessageId },
          query: '?size=10',
          status: 200,
        }),
    ],
    refused: [
      { params: { id: '0', messageId: 'nope' }, status: 400 },
      { params: { id: '0', messageId: '1-a' }, query: '?size=0', status: 400 },
      { params: { id: '2:3', messageId: '1-a' }, status: 403 },
      { params: { id: '0', messageId: '1-a' }, status: 404 },
    ],
  },
  links: { ok: [{ status: 200 }], refused: [] },
  metrics: { ok: [{ status: 200 }], refused: [] },
  liveness: { ok: [{ status: 200 }], refused: [] },
  readiness: { ok: [{ status: 200 }], refused: [] },
  openApiDocument: { ok: [{ status: 200 }], refused: [] },
  asyncApiDocument: { ok: [{ status: 200 }], refused: [] },
  banUser: {
    ok: [async () => ({ params: { id: await userToBan() }, status: 204 })],
    refused: [
      async () => ({ as: 'joe', params: { id: await userToBan() }, status: 403 }),
      { params: { id: '9999' }, status: 404 },
      { params: { id: 'x' }, status: 400 },
    ],
  },
  unbanUser: {
    ok: [async () => ({ params: { id: await userToBan() }, status: 204 })],
    refused: [
      async () => ({ as: 'joe', params: { id: await userToBan() }, status: 403 }),
      { params: { id: '9999' }, status: 404 },
    ],
  },
  stream: { ok: [{ status: 200 }], refused: [{ as: 'anonymous', status: 401 }] },
};

let bannedUserId: string | null = null;

/** A user of its own, registered once, for the ban routes. */
async function userToBan(): Promise<string> {
  if (bannedUserId === null) {
    bannedUserId = (await new HttpClient(server.url).login('contract-banned')).id;
  }
  return bannedUserId;
}

async function roomId(name: string): Promise<string> {
  const directory = await people.pablo.get<DirectoryPage>(
    `/rooms?search=${encodeURIComponent(name)}`,
  );
  const listed = directory.body.rooms.find((room) => room.name === name);
  if (listed) return listed.id;
  const mine = await people.pablo.get<{ id: string; names: string[] }[]>('/rooms/1');
  const room = mine.body.find((summary) => summary.names[0] === name);
  if (!room) throw new Error(`no room named ${name}`);
  return room.id;
}

interface Answered {
  status: number;
  contentType: string;
  body: unknown;
  text: string;
}

/** Sends a call of a route; an event stream is read until its first comment, then closed. */
async function send(name: RouteName, call: Call): Promise<Answered> {
  const route = routes[name];
  const client = call.as instanceof HttpClient ? call.as : people[call.as ?? 'pablo'];
  const url = `${server.url}${pathOf(route, call.params)}${call.query ?? ''}`;
  const headers: Record<string, string> = {};
  if (client.cookie) headers.cookie = client.cookie;
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  if (call.raw) headers['content-type'] = call.raw.type;
  const abort = new AbortController();
  const response = await fetch(url, {
    method: route.method,
    headers,
    body: call.raw
      ? call.raw.data
      : call.body === undefined
        ? undefined
        : JSON.stringify(call.body),
    signal: abort.signal,
  });
  const contentType = response.headers.get('content-type') ?? '';
  let text: string;
  if (contentType.startsWith('text/event-stream')) {
    const reader = response.body!.getReader();
    const first = await reader.read();
    text = new TextDecoder().decode(first.value);
    abort.abort();
  } else {
    text = await response.text();
  }
  const body = contentType.includes('json') && text ? (JSON.parse(text) as unknown) : text;
  return { status: response.status, contentType, body, text };
}

/** The answer has a status the table declares for the route, and its body is what it says. */
function expectDeclared(name: RouteName, answered: Answered) {
  const where = `${routes[name].method} ${routes[name].path} → ${answered.status} ${answered.text.slice(0, 200)}`;
  const answer = answersOf(routes[name]).get(answered.status);
  expect(answer, `${where}: status not in the table`).toBeDefined();
  if (!answer) return;
  if (answer.mediaType === null) {
    expect(answered.text, where).toBe('');
    return;
  }
  // A file's bytes, served with the file's own type.
  if (answer.mediaType === 'application/octet-stream') return;
  expect(answered.contentType.split(';')[0], where).toBe(answer.mediaType);
  const checked = answer.schema.safeParse(answered.body);
  expect(checked.error?.issues ?? [], where).toEqual([]);
  // zod drops what a schema does not name: a body with undeclared fields differs from its parse.
  expect(checked.data, `${where}: fields the table does not declare`).toEqual(answered.body);
}

/** Pablo's uploads (waiting to be attached, so only he may fetch them): a text and an image. */
let uploads: Promise<{ text: string; image: string }> | null = null;
function pablosUploads() {
  uploads ??= (async () => {
    const upload = async (name: string, type: string, data: Uint8Array<ArrayBuffer>) => {
      const answered = await send('uploadFile', {
        params: { id: '0' },
        query: `?name=${name}`,
        raw: { type, data },
        status: 201,
      });
      return (answered.body as { id: string }).id;
    };
    const png = await sharp({
      create: { width: 4, height: 4, channels: 3, background: '#000' },
    })
      .png()
      .toBuffer();
    return {
      text: await upload('a.txt', 'text/plain', new TextEncoder().encode('hello')),
      image: await upload('a.png', 'image/png', new Uint8Array(png)),
    };
  })();
  return uploads;
}

const resolveCase = (entry: Case) => (typeof entry === 'function' ? entry() : entry);

describe('every route of the table, as the table declares it', () => {
  // In the table's order: rooms are created before they are joined, joined before they are left.
  for (const name of Object.keys(CASES) as RouteName[]) {
    it(`${name}: ${routes[name].method} ${routes[name].path}`, async () => {
      const { ok, refused } = CASES[name];
      expect(ok.length, 'a success to check').toBeGreaterThan(0);
      for (const entry of [...ok, ...refused]) {
        const call = await resolveCase(entry);
        const answered = await send(name, call);
        expectDeclared(name, answered);
        expect(answered.status, `${routes[name].path}: ${answered.text.slice(0, 200)}`).toBe(
          call.status,
        );
      }
    });
  }
});

describe('the routes the server registers', () => {
  it('are the table’s, the web build’s files and the API reference page, nothing else', () => {
    const declared = new Set(Object.values(routes).map(({ method, path }) => `${method} ${path}`));
    const webRoot = resolve('dist/web');
    const webFiles = new Set<string>();
    if (existsSync(webRoot)) {
      for (const file of readdirSync(webRoot, { recursive: true, withFileTypes: true })) {
        if (file.isFile()) {
          webFiles.add(
            `/${relative(webRoot, join(file.parentPath, file.name)).split('\\').join('/')}`,
          );
        }
      }
      webFiles.add('/');
    }
    const undeclared = server.routes
      .map(({ method, url }) => ({ method, url }))
      .filter(({ method, url }) => {
        if (declared.has(`${method} ${url}`)) return false;
        // Fastify answers HEAD for every GET route.
        if (method === 'HEAD' && declared.has(`GET ${url}`)) return false;
        if ((method === 'GET' || method === 'HEAD') && webFiles.has(url)) return false;
        if ((method === 'GET' || method === 'HEAD') && /^\/docs(\/|$)/.test(url)) return false;
        return true;
      });
    expect(undeclared).toEqual([]);
    for (const key of declared) {
      const [method, url] = key.split(' ');
      expect(server.routes, key).toContainEqual({ method, url });
    }
  });
});

describe('while Redis is away', () => {
  it('every route refuses a signed-in client with a declared 503 (loading the session needs Redis)', async () => {
    await redis.pause();
    try {
      for (const name of Object.keys(CASES) as RouteName[]) {
        const route: RouteDeclaration = routes[name];
        const params = route.params
          ? Object.fromEntries(Object.keys(route.params.shape).map((key) => [key, '1']))
          : undefined;
        const answered = await send(name, {
          status: 503,
          ...(params ? { params } : {}),
          ...(route.method === 'POST' ? { body: {} } : {}),
        });
        expectDeclared(name, answered);
        expect(answered.status, name).toBe(503);
      }
      // A health check sends no cookie: the process is alive, and not ready.
      expect((await send('liveness', { as: 'anonymous', status: 200 })).status).toBe(200);
      const notReady = await send('readiness', { as: 'anonymous', status: 503 });
      expectDeclared('readiness', notReady);
      expect(notReady.status).toBe(503);
    } finally {
      await redis.resume();
    }
  });
});
