/**
 * Limits on what one user can repeat, seen by a real client: edits and deletes are counted per
 * user (each one is broadcast to the whole room), and a change that changes nothing reaches no one;
 * rooms created, invitations and typing notices are counted per user too, over all their sockets;
 * and someone who left a room cannot be invited straight back into it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, RoomSummary, SessionUser } from '../../src/protocol/models.js';
import { type ChatClientSocket, HttpClient, collect, connectSocket } from '../support/clients.js';
import { type TestRedis, startTestRedis } from '../support/redis.js';
import { type InProcessServer, startInProcessServer } from '../support/server.js';

const CHANGES_PER_MINUTE = 5;
const ROOMS_PER_HOUR = 3;
const INVITES_PER_MINUTE = 2;
const INVITE_COOLDOWN_S = 2;

let redis: TestRedis;
let server: InProcessServer;
let joe: ChatClientSocket;
let mary: ChatClientSocket;
const sockets: ChatClientSocket[] = [];
const people = new Map<string, { http: HttpClient; user: SessionUser }>();

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startInProcessServer(redis.url, {
    MESSAGE_CHANGES_PER_MINUTE: String(CHANGES_PER_MINUTE),
    ROOMS_PER_USER_PER_HOUR: String(ROOMS_PER_HOUR),
    INVITES_PER_USER_PER_MINUTE: String(INVITES_PER_MINUTE),
    INVITE_COOLDOWN_S: String(INVITE_COOLDOWN_S),
  });
  for (const name of ['Joe', 'Mary', 'Ann', 'Bob', 'Cid', 'Pablo']) {
    const http = new HttpClient(server.url);
    people.set(name, { http, user: await http.login(name) });
  }
  [joe, mary] = await Promise.all([openSocket('Joe'), openSocket('Mary')]);
});

/** A socket of one of the people signed in above, closed after the tests. */
async function openSocket(name: string): Promise<ChatClientSocket> {
  const socket = await connectSocket(server.url, person(name).http.cookie);
  sockets.push(socket);
  return socket;
}

function person(name: string) {
  const found = people.get(name);
  if (!found) throw new Error(`${name} did not sign in`);
  return found;
}

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server?.stop();
  await redis?.stop();
});

async function post(text: string): Promise<ChatMessage> {
  const ack = await joe.timeout(5000).emitWithAck('message', { roomId: '0', message: text });
  if (!ack.ok) throw new Error(ack.error.message);
  return ack.message;
}

const change = (event: 'message.edit' | 'message.delete', id: string, text = '') =>
  event === 'message.edit'
    ? joe.timeout(5000).emitWithAck('message.edit', { roomId: '0', id, message: text })
    : joe.timeout(5000).emitWithAck('message.delete', { roomId: '0', id });

describe('edits and deletes', () => {
  it('that change nothing are acknowledged and broadcast to no one', async () => {
    const seen = collect(mary, 'message.updated');
    const message = await post('unchanged');
    expect((await change('message.edit', message.id, 'unchanged')).ok).toBe(true);
    expect((await change('message.delete', message.id)).ok).toBe(true);
    expect((await change('message.delete', message.id)).ok).toBe(true);
    // A marker after them: Mary got every update sent before it.
    const marker = await post('marker');
    expect((await change('message.delete', marker.id)).ok).toBe(true);
    await expect.poll(() => seen.map((m) => m.id)).toEqual([message.id, marker.id]);
  });

  it('are limited per user per minute, refused with rate_limited and a wait', async () => {
    const message = await post('often edited');
    // Two were used by the test above.
    for (let i = 2; i < CHANGES_PER_MINUTE; i += 1) {
      expect((await change('message.edit', message.id, `version ${i}`)).ok).toBe(true);
    }
    const refused = await change('message.edit', message.id, 'one too many');
    expect(refused).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    if (!refused.ok)
      expect(refused.error.message).toMatch(/editing and deleting too fast; wait \d+ s/);
    expect(await change('message.delete', message.id)).toMatchObject({
      ok: false,
      error: { code: 'rate_limited' },
    });
  });
});

/** Refused with a code and a Retry-After of 1 s to `maxS`. */
function expectRefusal(
  answer: { status: number; body: unknown; headers: Headers },
  status: number,
  code: string,
  maxS: number,
) {
  expect(answer).toMatchObject({ status, body: { code } });
  const wait = Number(answer.headers.get('retry-after'));
  expect(wait).toBeGreaterThanOrEqual(1);
  expect(wait).toBeLessThanOrEqual(maxS);
}

describe('group rooms created', () => {
  it('are limited per user per hour: 429 rate_limited with Retry-After', async () => {
    const { http } = person('Ann');
    for (let i = 0; i < ROOMS_PER_HOUR; i += 1) {
      expect((await http.post('/rooms', { name: `Ann's ${i}` })).status).toBe(201);
    }
    const refused = await http.post<{ message: string }>('/rooms', { name: 'One too many' });
    expectRefusal(refused, 429, 'rate_limited', 3600);
    expect(refused.body.message).toMatch(/creating rooms too fast; wait \d+ s/);
    // Another user's count is their own.
    expect((await person('Bob').http.post('/rooms', { name: 'One too many' })).status).toBe(201);
  });
});

describe('invitations', () => {
  it('are limited per inviter per minute: 429 rate_limited with Retry-After', async () => {
    const { http } = person('Joe');
    const room = (
      await http.post<RoomSummary>('/rooms', { name: 'Invites', visibility: 'private' })
    ).body;
    for (const name of ['Ann', 'Bob']) {
      const invited = await http.post(`/room/${room.id}/invite`, { userId: person(name).user.id });
      expect(invited.status).toBe(200);
    }
    const refused = await http.post(`/room/${room.id}/invite`, { userId: person('Cid').user.id });
    expectRefusal(refused, 429, 'rate_limited', 60);
    const members = await http.get<{ username: string }[]>(`/room/${room.id}/members`);
    expect(members.body.map((m) => m.username)).toEqual(['Ann', 'Bob', 'Joe']);
  });

  it('cannot pull back someone who just left: 409 recently_left until the cooldown lapses', async () => {
    const pablo = person('Pablo');
    const cid = person('Cid');
    const room = (await pablo.http.post<RoomSummary>('/rooms', { name: 'Come back' })).body;
    expect((await cid.http.post(`/room/${room.id}/join`)).status).toBe(200);
    expect((await cid.http.post(`/room/${room.id}/leave`)).status).toBe(204);
    const invite = () => pablo.http.post(`/room/${room.id}/invite`, { userId: cid.user.id });
    const refused = await invite();
    expectRefusal(refused, 409, 'recently_left', INVITE_COOLDOWN_S);
    expect(refused.body).toMatchObject({
      message: expect.stringMatching(/^Cid left room \d+ lately and cannot be invited back/),
    });
    await expect
      .poll(async () => (await invite()).status, { timeout: 5_000, interval: 250 })
      .toBe(200);
  });
});

describe('typing notices', () => {
  it('are limited per user, not per socket: a second tab inside the window is refused', async () => {
    const [tab1, tab2] = await Promise.all([openSocket('Mary'), openSocket('Mary')]);
    const seen = collect(joe, 'typing');
    const typing = (tab: ChatClientSocket, roomId: string) =>
      tab.timeout(5000).emitWithAck('typing', { roomId, typing: true });
    expect(await typing(tab1, '0')).toMatchObject({ ok: true });
    expect(await typing(tab2, '0')).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    // A notice sent after the refused one, in a room Joe shares: it arrives after anything the
    // refused one could have caused.
    const room = (await person('Joe').http.post<RoomSummary>('/rooms', { name: 'Typing' })).body;
    expect((await person('Mary').http.post(`/room/${room.id}/join`)).status).toBe(200);
    expect(await typing(tab2, room.id)).toMatchObject({ ok: true });
    await expect.poll(() => seen.map((notice) => notice.roomId)).toEqual(['0', room.id]);
  });
});
