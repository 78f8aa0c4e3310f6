/**
 * Reactions and threads, with people spread over two server processes on one Redis: every change
 * has to reach the other instance, and the limits hold over both.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AckResponse } from '../../src/protocol/events.js';
import type {
  ChatMessage,
  MessageReactions,
  MutedRooms,
  RoomSummary,
  ThreadPage,
} from '../../src/protocol/index.js';
import { type ChatClientSocket, HttpClient, collect, connectSocket } from '../support/clients.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { type ServerProcess, startServerProcess } from '../support/server.js';
import { waitFor } from '../support/wait.js';

let redis: TestRedis;
let a: ServerProcess;
let b: ServerProcess;
const sockets: ChatClientSocket[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  const env = {
    MESSAGES_PER_SECOND: '1000',
    REACTIONS_PER_MINUTE: '30',
    THREAD_REPLIES_MAX: '3',
    MUTE_CHANGES_PER_MINUTE: '6',
    LOG_LEVEL: 'warn',
  };
  a = await startServerProcess(redis.url, env);
  b = await startServerProcess(redis.url, env);
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
});

async function on(server: ServerProcess, username: string) {
  const http = new HttpClient(server.url);
  const user = await http.login(username);
  const socket = await connectSocket(server.url, http.cookie);
  sockets.push(socket);
  return { http, user, socket };
}

/** Two people in their private room, one on each instance, and someone outside it on the first. */
async function privateRoomOf(member: string, other: string, outsider: string) {
  const first = await on(a, member);
  const second = await on(b, other);
  const third = await on(a, outsider);
  const room = (
    await first.http.post<RoomSummary>('/room', { user1: first.user.id, user2: second.user.id })
  ).body;
  return [first, second, third, room] as const;
}

type Ack<T extends object> = AckResponse<T>;
const emit = <T extends object>(socket: ChatClientSocket, event: string, payload: unknown) =>
  socket.timeout(5000).emitWithAck(event as 'message', payload as never) as unknown as Promise<
    Ack<T>
  >;

async function post(socket: ChatClientSocket, roomId: string, message: string, replyTo?: string) {
  const ack = await emit<{ message: ChatMessage }>(socket, 'message', { roomId, message, replyTo });
  if (!ack.ok) throw new Error(`send refused: ${ack.error.message}`);
  return ack.message;
}

const react = (socket: ChatClientSocket, roomId: string, messageId: string, emoji: string) =>
  emit<{ reactions: MessageReactions }>(socket, 'reaction.add', { roomId, messageId, emoji });
const unreact = (socket: ChatClientSocket, roomId: string, messageId: string, emoji: string) =>
  emit<{ reactions: MessageReactions }>(socket, 'reaction.remove', { roomId, messageId, emoji });

describe('reactions', () => {
  it('reach every tab on both instances, with who reacted, and come off again', async () => {
    const pablo = await on(a, 'Pablo');
    const pabloOtherTab = await connectSocket(b.url, pablo.http.cookie);
    sockets.push(pabloOtherTab);
    const joe = await on(b, 'Joe');
    const message = await post(pablo.socket, '0', 'react to me');

    const seenByPablo = collect(pabloOtherTab, 'message.reactions');
    const seenByJoe = collect(joe.socket, 'message.reactions');
    const added = await react(joe.socket, '0', message.id, '👍');
    expect(added).toEqual({
      ok: true,
      reactions: {
        roomId: '0',
        messageId: message.id,
        reactions: [{ emoji: '👍', userIds: [joe.user.id] }],
      },
    });
    await react(pablo.socket, '0', message.id, '👍');
    await react(pablo.socket, '0', message.id, '❤️');
    const both = [
      { emoji: '👍', userIds: [joe.user.id, pablo.user.id] },
      { emoji: '❤️', userIds: [pablo.user.id] },
    ];
    await waitFor('Pablo’s other tab to see both reactions', () =>
      seenByPablo.some((r) => JSON.stringify(r.reactions) === JSON.stringify(both)),
    );
    await waitFor('Joe to see Pablo’s reactions', () =>
      seenByJoe.some((r) => JSON.stringify(r.reactions) === JSON.stringify(both)),
    );
    const read = await joe.http.get<MessageReactions[]>(`/room/0/reactions?ids[]=${message.id}`);
    expect(read.body).toEqual([{ roomId: '0', messageId: message.id, reactions: both }]);

    // Adding one already there changes nothing and tells nobody; removing tells everyone.
    const before = seenByJoe.length;
    expect((await react(pablo.socket, '0', message.id, '👍')).ok).toBe(true);
    await unreact(joe.socket, '0', message.id, '👍');
    await waitFor('Joe to see his reaction go', () => seenByJoe.length > before);
    expect(seenByJoe.at(-1)?.reactions).toEqual([
      { emoji: '👍', userIds: [pablo.user.id] },
      { emoji: '❤️', userIds: [pablo.user.id] },
    ]);
    expect(seenByJoe).toHaveLength(before + 1);
  });

  it('stay in private rooms, refuse what is not an emoji, a missing message, and too many', async () => {
    const [pablo, joe, mary, room] = await privateRoomOf('Pablo', 'Joe', 'Mary');
    const message = await post(pablo.socket, room.id, 'between us');
    const maryHears = collect(mary.socket, 'message.reactions');
    const joeHears = collect(joe.socket, 'message.reactions');

    expect(await react(mary.socket, room.id, message.id, '👍')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect((await mary.http.get(`/room/${room.id}/reactions?ids[]=${message.id}`)).status).toBe(
      403,
    );
    expect(await react(joe.socket, room.id, message.id, 'lol')).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: 'emoji must be one emoji' },
    });
    expect(await react(joe.socket, room.id, '1-nothing', '👍')).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });

    const faces = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙🥲😚🙂🤗'];
    for (const face of faces.slice(0, 20)) {
      expect((await react(joe.socket, room.id, message.id, face)).ok).toBe(true);
    }
    expect(await react(pablo.socket, room.id, message.id, faces[20]!)).toMatchObject({
      ok: false,
      error: { code: 'limit_reached' },
    });
    await waitFor('Joe to hear his twentieth reaction', () =>
      joeHears.some((r) => r.reactions.length === 20),
    );
    expect(maryHears).toEqual([]);
  });

  it('count changes per user over both instances', async () => {
    const alex = await on(a, 'Alex');
    const alexOnB = await connectSocket(b.url, alex.http.cookie);
    sockets.push(alexOnB);
    const message = await post(alex.socket, '0', 'click click');
    // 30 a minute (REACTIONS_PER_MINUTE above), half on each instance.
    for (let i = 0; i < 15; i++) {
      expect((await react(alex.socket, '0', message.id, '👍')).ok).toBe(true);
      expect((await unreact(alexOnB, '0', message.id, '👍')).ok).toBe(true);
    }
    const refused = await react(alexOnB, '0', message.id, '👍');
    expect(refused).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/changing reactions too fast; wait/);
  });
});

describe('threads', () => {
  it('gather replies from both instances under their message, live and in history', async () => {
    const pablo = await on(a, 'Pablo');
    const joe = await on(b, 'Joe');
    const question = await post(pablo.socket, '0', 'who is in for lunch?');
    const pabloHearsThread = collect(pablo.socket, 'message.thread');
    const pabloHears = collect(pablo.socket, 'message');

    const first = await post(joe.socket, '0', 'me', question.id);
    expect(first.replyTo).toBe(question.id);
    // A reply to a reply joins the same thread.
    const second = await post(pablo.socket, '0', 'great, 12:30', first.id);
    expect(second.replyTo).toBe(question.id);
    await waitFor(
      'Pablo to hear Joe’s reply and the thread grow to 2',
      () =>
        pabloHears.some((m) => m.id === first.id && m.replyTo === question.id) &&
        pabloHearsThread.some((t) => t.replyCount === 2),
    );
    expect(pabloHearsThread.at(-1)).toEqual({
      roomId: '0',
      messageId: question.id,
      replyCount: 2,
      lastReplyId: second.id,
      lastReplyAt: second.date,
    });

    const history = await joe.http.get<ChatMessage[]>('/room/0/messages?offset=0&size=3');
    expect(history.body.map((m) => [m.id, m.replyTo, m.replyCount])).toEqual([
      [second.id, question.id, undefined],
      [first.id, question.id, undefined],
      [question.id, undefined, 2],
    ]);
    const around = await joe.http.get<ChatMessage[]>(
      `/room/0/messages?around=${question.id}&size=1`,
    );
    expect(around.body[0]).toMatchObject({
      id: question.id,
      replyCount: 2,
      lastReplyId: second.id,
    });

    // Deleting the first message keeps its thread.
    expect((await emit(pablo.socket, 'message.delete', { roomId: '0', id: question.id })).ok).toBe(
      true,
    );
    const thread = await joe.http.get<ThreadPage>(`/room/0/thread/${question.id}`);
    expect(thread.status).toBe(200);
    expect(thread.body.parent).toMatchObject({ id: question.id, deleted: true, replyCount: 2 });
    expect(thread.body.replies.map((m) => m.message)).toEqual(['me', 'great, 12:30']);
    expect(thread.body.hasOlder).toBe(false);
    const older = await joe.http.get<ThreadPage>(
      `/room/0/thread/${question.id}?before=${second.id}&size=1`,
    );
    expect(older.body.replies.map((m) => m.id)).toEqual([first.id]);
  });

  it('stay in their room and its audience, and stop at THREAD_REPLIES_MAX', async () => {
    const [pablo, joe, mary, room] = await privateRoomOf('Pablo', 'Joe', 'Mary');
    const secret = await post(pablo.socket, room.id, 'between us');
    const maryHears = collect(mary.socket, 'message.thread');
    const joeHears = collect(joe.socket, 'message.thread');

    // A message of another room cannot be replied to from General.
    expect(
      await emit(mary.socket, 'message', { roomId: '0', message: 'peek', replyTo: secret.id }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: `message ${secret.id} does not exist in room 0` },
    });
    expect(
      await emit(joe.socket, 'message', { roomId: room.id, message: 'x', replyTo: 'nope' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: 'replyTo must be a message id' },
    });
    expect((await mary.http.get(`/room/${room.id}/thread/${secret.id}`)).status).toBe(403);

    for (const text of ['one', 'two', 'three']) await post(joe.socket, room.id, text, secret.id);
    expect(
      await emit(pablo.socket, 'message', { roomId: room.id, message: 'four', replyTo: secret.id }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'limit_reached',
        message: 'a thread can hold at most 3 replies; start a new message',
      },
    });
    await waitFor('Joe to hear the thread reach 3', () => joeHears.some((t) => t.replyCount === 3));
    expect(maryHears).toEqual([]);
  });
});

describe('read receipts', () => {
  it('tell the other member of a private room, on the other instance, how far it is read', async () => {
    // A pair no other test of this file writes to: Alex has read nothing there yet.
    const [mary, alex, pablo, room] = await privateRoomOf('Mary', 'Alex', 'Pablo');
    const first = await post(mary.socket, room.id, 'are you there?');
    const second = await post(mary.socket, room.id, 'hello?');
    const maryHears = collect(mary.socket, 'room.seen');
    const pabloHears = collect(pablo.socket, 'room.seen');

    expect((await mary.http.get(`/room/${room.id}/seen`)).body).toEqual({
      roomId: room.id,
      userId: alex.user.id,
      lastReadId: null,
    });
    expect((await alex.http.post(`/room/${room.id}/read`, { messageId: first.id })).status).toBe(
      200,
    );
    await waitFor('Mary to hear that Alex read her first message', () =>
      maryHears.some((seen) => seen.lastReadId === first.id),
    );
    expect(maryHears[0]).toEqual({ roomId: room.id, userId: alex.user.id, lastReadId: first.id });
    // Back to an older message: the marker does not move, and nobody is told.
    await alex.http.post(`/room/${room.id}/read`, { messageId: first.id });
    await alex.http.post(`/room/${room.id}/read`, { messageId: second.id });
    await waitFor('Mary to hear that Alex read on', () =>
      maryHears.some((seen) => seen.lastReadId === second.id),
    );
    expect(maryHears.map((seen) => seen.lastReadId)).toEqual([first.id, second.id]);
    expect((await mary.http.get(`/room/${room.id}/seen`)).body).toMatchObject({
      lastReadId: second.id,
    });

    // Nobody else learns it, General has none, and Mary's own reads tell only Alex.
    expect((await pablo.http.get(`/room/${room.id}/seen`)).status).toBe(403);
    expect((await pablo.http.get('/room/0/seen')).body).toMatchObject({
      code: 'bad_request',
      message: 'only private rooms have read receipts',
    });
    await mary.http.post('/room/0/read', { messageId: second.id });
    expect(pabloHears).toEqual([]);
  });
});

describe('per-room mute', () => {
  it('follows the user to their other devices on the other instance, and is limited', async () => {
    const laptop = await on(a, 'Joe');
    const phone = await on(b, 'Joe');
    const phoneHears = collect(phone.socket, 'rooms.muted');
    const room = (await laptop.http.post<RoomSummary>('/rooms', { name: 'Quiet corner' })).body;

    expect((await laptop.http.post<MutedRooms>(`/room/${room.id}/mute`, {})).body).toEqual({
      roomIds: [room.id],
    });
    expect((await laptop.http.post<MutedRooms>('/room/0/mute', {})).body).toEqual({
      roomIds: ['0', room.id].sort(),
    });
    await waitFor('the phone to hear both mutes', () => phoneHears.length === 2);
    expect(phoneHears.at(-1)).toEqual({ roomIds: ['0', room.id].sort() });
    expect((await phone.http.get<MutedRooms>('/me/muted')).body.roomIds).toContain(room.id);

    // Muting again changes nothing and tells nobody; a room not theirs cannot be muted.
    await laptop.http.post(`/room/${room.id}/mute`, {});
    const mary = await on(a, 'Mary');
    expect((await mary.http.post(`/room/${room.id}/mute`, {})).status).toBe(403);
    expect((await mary.http.get<MutedRooms>('/me/muted')).body).toEqual({ roomIds: [] });

    // Leaving the room forgets its mute, everywhere.
    expect((await laptop.http.post(`/room/${room.id}/leave`, {})).status).toBe(204);
    expect((await phone.http.get<MutedRooms>('/me/muted')).body).toEqual({ roomIds: ['0'] });
    expect((await phone.http.post<MutedRooms>('/room/0/unmute', {})).body).toEqual({ roomIds: [] });
    await waitFor('the laptop’s view to be told of the unmute', () => phoneHears.length === 3);

    // 6 changes a minute (MUTE_CHANGES_PER_MINUTE above), over both instances: 4 made so far.
    expect((await phone.http.post('/room/0/mute', {})).status).toBe(200);
    expect((await laptop.http.post('/room/0/unmute', {})).status).toBe(200);
    const refused = await phone.http.post<{ code: string; message: string }>('/room/0/mute', {});
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/muting and unmuting too fast; wait \d+ s/);
  });
});
