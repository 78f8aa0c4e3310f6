/**
 * A private group is invisible to outsiders: every route under /room/:id and every socket event
 * that names a room answers an outsider exactly as for an id that was never used (404
 * `not_found`, the same body), and its name neither blocks nor reveals itself when someone
 * creates a public room of the same name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientEvents } from '../../src/protocol/events.js';
import type { DirectoryPage, RoomSummary } from '../../src/protocol/models.js';
import { type RouteDeclaration, pathOf } from '../../src/protocol/route-table.js';
import { routes } from '../../src/protocol/routes.js';
import { type ChatClientSocket, HttpClient, connectSocket } from '../support/clients.js';
import { type TestRedis, startTestRedis } from '../support/redis.js';
import { type InProcessServer, startInProcessServer } from '../support/server.js';

let redis: TestRedis;
let server: InProcessServer;
let owner: HttpClient;
let outsider: HttpClient;
let outsiderSocket: ChatClientSocket;
let hidden: RoomSummary;
/** An id no room was ever created with. */
let unused: string;

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startInProcessServer(redis.url);
  owner = new HttpClient(server.url);
  await owner.login('Pablo');
  outsider = new HttpClient(server.url);
  await outsider.login('Joe');
  hidden = (await owner.post<RoomSummary>('/rooms', { name: 'Hidden', visibility: 'private' }))
    .body;
  const posted = await connectSocket(server.url, owner.cookie);
  await posted.timeout(5_000).emitWithAck('message', { roomId: hidden.id, message: 'secret' });
  posted.close();
  unused = String(Number(hidden.id) + 1000);
  outsiderSocket = await connectSocket(server.url, outsider.cookie);
});

afterAll(async () => {
  outsiderSocket?.close();
  await server?.stop();
  await redis?.stop();
});

/** What a request carries besides the room id, per route (any other route gets `{}`). */
const REQUEST_EXTRAS: Record<
  string,
  { params?: Record<string, string>; query?: string; body?: unknown }
> = {
  messages: { query: '?offset=0&size=5' },
  invite: { body: { userId: '1' } },
  markRead: { body: { messageId: '1700000000000000-abc' } },
  reactions: { query: '?ids[]=1700000000000000-abc' },
  thread: { params: { messageId: '1700000000000000-abc' } },
  uploadFile: { query: '?name=notes.txt' },
  file: { params: { fileId: 'AAAAAAAAAAAAAAAAAAAAAA' } },
  fileThumbnail: { params: { fileId: 'AAAAAAAAAAAAAAAAAAAAAA' } },
};

/**
 * Routes that answer every id alike without reading the room: unmuting is allowed for any id
 * (a room left since included), so its answer tells nothing about the room.
 */
const ANSWERS_ANY_ID = new Set(['unmuteRoom']);

/** A payload per client event that names a room; an event missing here fails the test. */
const EVENT_PAYLOADS: Record<string, (roomId: string) => unknown> = {
  'room.join': (roomId) => roomId,
  message: (roomId) => ({ roomId, message: 'let me in' }),
  'message.edit': (roomId) => ({ roomId, id: '1700000000000000-abc', message: 'x' }),
  'message.delete': (roomId) => ({ roomId, id: '1700000000000000-abc' }),
  typing: (roomId) => ({ roomId, typing: true }),
  'reaction.add': (roomId) => ({ roomId, messageId: '1700000000000000-abc', emoji: '👍' }),
  'reaction.remove': (roomId) => ({ roomId, messageId: '1700000000000000-abc', emoji: '👍' }),
};

/** The routes that name a room by id. */
const roomRoutes = Object.entries(routes as Record<string, RouteDeclaration>).filter(([, route]) =>
  route.path.includes('/room/:id'),
);

/** An answer with the room's id written as <id>, to compare answers about two ids. */
const withoutId = (value: unknown, roomId: string) =>
  JSON.parse(JSON.stringify(value).replaceAll(roomId, '<id>')) as unknown;

describe('a private group, asked about by an outsider', () => {
  it.each(roomRoutes)('%s answers as for an unknown id', async (name, route) => {
    const ask = async (roomId: string) => {
      const extras = REQUEST_EXTRAS[name] ?? {};
      const path = pathOf(route, { ...extras.params, id: roomId }) + (extras.query ?? '');
      const answer =
        route.method === 'GET'
          ? await outsider.get(path)
          : await outsider.post(path, extras.body ?? {});
      return { status: answer.status, body: withoutId(answer.body, roomId) };
    };
    const aboutHidden = await ask(hidden.id);
    expect(aboutHidden).toEqual(await ask(unused));
    if (!ANSWERS_ANY_ID.has(name)) {
      expect(aboutHidden).toMatchObject({ status: 404, body: { code: 'not_found' } });
    }
  });

  it('every socket event that names a room answers as for an unknown id', async () => {
    const roomEvents = Object.keys(clientEvents);
    expect(roomEvents.filter((event) => !EVENT_PAYLOADS[event])).toEqual([]);
    for (const event of roomEvents) {
      const payloadFor = EVENT_PAYLOADS[event]!;
      const ask = async (roomId: string) => {
        // Any event name: the events are walked through as data here.
        const socket = outsiderSocket.timeout(5_000) as unknown as {
          emitWithAck(event: string, payload: unknown): Promise<unknown>;
        };
        return withoutId(await socket.emitWithAck(event, payloadFor(roomId)), roomId);
      };
      const aboutHidden = await ask(hidden.id);
      expect({ event, answer: aboutHidden }).toEqual({ event, answer: await ask(unused) });
      expect({ event, answer: aboutHidden }).toMatchObject({
        event,
        answer: { ok: false, error: { code: 'not_found' } },
      });
    }
  });

  it('its name neither blocks a public room of the same name nor shows in the directory', async () => {
    const created = await outsider.post<RoomSummary>('/rooms', { name: 'hidden' });
    expect(created.status).toBe(201);
    expect(created.body.id).not.toBe(hidden.id);
    const directory = await outsider.get<DirectoryPage>('/rooms?search=hidden');
    expect(directory.body.rooms.map((room) => room.id)).toEqual([created.body.id]);
    // The owner still has the private one, under its own name.
    const mine = await owner.get<RoomSummary[]>(`/rooms/1`);
    expect(mine.body.find((room) => room.id === hidden.id)?.names).toEqual(['Hidden']);
  });
});

describe('room names that look alike', () => {
  it.each([
    ['different case', 'GENERAL'],
    ['a zero-width space', 'Gen\u200Beral'],
    ['full-width letters', 'Ｇｅｎｅｒａｌ'],
  ])('refuses a room named like General with %s', async (_, name) => {
    const refused = await owner.post('/rooms', { name });
    expect(refused).toMatchObject({ status: 409, body: { code: 'conflict' } });
  });

  it.each([
    ['control_characters', 'bell\u0007'],
    ['bidi_controls', 'evil\u202Egnp.exe'],
    ['invisible_text', '\u200B\u2060'],
  ])('refuses %s in a room name with 400 and that code', async (code, name) => {
    const refused = await owner.post('/rooms', { name });
    expect(refused).toMatchObject({ status: 400, body: { code } });
  });
});
