/**
 * Group rooms, typing, unread counts and read markers, edits and deletes, and mentions, with users
 * spread over two server processes on one Redis: every live update has to cross instances.
 */
import { describe, expect, it } from 'vitest';
import type {
  ChatMessage,
  DirectoryPage,
  RoomSummary,
  UserPresence,
} from '../../src/protocol/index.js';
import { type ChatClientSocket, HttpClient, collect } from '../support/clients.js';
import { emitWithAck, post, twoInstances } from '../support/two-instances.js';
import { waitFor } from '../support/wait.js';

const chat = twoInstances();
const { on } = chat;

const emit = (socket: ChatClientSocket, event: string, payload: unknown) =>
  emitWithAck<{ message: ChatMessage }>(socket, event, payload);

describe('group rooms', () => {
  it('are created with unique names, found in the directory, joined and left live', async () => {
    const pablo = await on(chat.a, 'Pablo');
    const joe = await on(chat.b, 'Joe');
    const mary = await on(chat.b, 'Mary');

    const created = await pablo.http.post<RoomSummary>('/rooms', { name: 'Design Team' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      names: ['Design Team'],
      kind: 'group',
      visibility: 'public',
    });
    const roomId = created.body.id;

    const duplicate = await joe.http.post('/rooms', { name: 'design team' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/already exists/),
    });
    expect((await joe.http.post('/rooms', { name: 'general' })).status).toBe(409);
    const tooLong = await joe.http.post('/rooms', { name: 'x'.repeat(41) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatchObject({ message: 'name must be 1–40 characters' });
    expect((await joe.http.post('/rooms', { name: '   ' })).status).toBe(400);

    const found = (await joe.http.get<DirectoryPage>('/rooms?search=DESIGN')).body;
    expect(found).toEqual({
      rooms: [{ id: roomId, name: 'Design Team', memberCount: 1, joined: false }],
      next: null,
    });
    const nothing = (await joe.http.get<DirectoryPage>('/rooms?search=nothing-like-it')).body;
    expect(nothing.rooms).toEqual([]);

    // Joe joins on instance B; Pablo, on A, sees him arrive.
    const pabloMembers = collect(pablo.socket, 'room.member');
    const joeShown = collect(joe.socket, 'show.room');
    const joined = await joe.http.post<RoomSummary>(`/room/${roomId}/join`);
    expect(joined.status).toBe(200);
    await waitFor('Pablo to see Joe join', () =>
      pabloMembers.some((c) => c.user.id === joe.user.id && c.joined),
    );
    await waitFor("Joe's tabs to list the room", () => joeShown.some((r) => r.id === roomId));

    const members = (await pablo.http.get<UserPresence[]>(`/room/${roomId}/members`)).body;
    expect(members.map((m) => m.username)).toEqual(['Joe', 'Pablo']);
    expect((await mary.http.get(`/room/${roomId}/members`)).status).toBe(403);

    // Messages reach members across instances, and nobody else.
    const pabloGot = collect(pablo.socket, 'message');
    const maryGot = collect(mary.socket, 'message');
    const inGroup = await post(joe.socket, roomId, 'hello design');
    await waitFor('Pablo to get the group message', () =>
      pabloGot.some((m) => m.id === inGroup.id),
    );
    const marker = await post(joe.socket, '0', 'marker');
    await waitFor('Mary to get the General marker', () => maryGot.some((m) => m.id === marker.id));
    expect(maryGot.some((m) => m.roomId === roomId)).toBe(false);
    expect(await emit(mary.socket, 'message', { roomId, message: 'let me in' })).toMatchObject({
      ok: false,
      error: { code: 'not_member' },
    });

    // Joe leaves: his tabs drop the room, Pablo is told, and Joe can no longer post.
    const joeHidden = collect(joe.socket, 'hide.room');
    expect((await joe.http.post(`/room/${roomId}/leave`)).status).toBe(204);
    await waitFor('Joe to drop the room', () => joeHidden.some((r) => r.id === roomId));
    await waitFor('Pablo to see Joe leave', () =>
      pabloMembers.some((c) => c.user.id === joe.user.id && !c.joined),
    );
    expect(await emit(joe.socket, 'message', { roomId, message: 'still here?' })).toMatchObject({
      ok: false,
      error: { code: 'not_member' },
    });
    expect((await joe.http.post(`/room/${roomId}/leave`)).body).toMatchObject({
      code: 'not_member',
    });
    const general = await joe.http.post('/room/0/leave');
    expect(general.status).toBe(400);
    expect(general.body).toMatchObject({ message: expect.stringMatching(/cannot be left/) });
  });

  it('keep private rooms to their members, who can invite others', async () => {
    const pablo = await on(chat.a, 'Pablo');
    const joe = await on(chat.b, 'Joe');
    const alex = await on(chat.a, 'Alex');
    const room = (
      await pablo.http.post<RoomSummary>('/rooms', { name: 'Secret', visibility: 'private' })
    ).body;
    expect(room.visibility).toBe('private');

    expect((await joe.http.get<DirectoryPage>('/rooms?search=secret')).body.rooms).toEqual([]);
    expect((await joe.http.post(`/room/${room.id}/join`)).status).toBe(404);
    expect((await alex.http.post(`/room/${room.id}/invite`, { userId: alex.user.id })).status).toBe(
      404,
    );

    const joeShown = collect(joe.socket, 'show.room');
    const invited = await pablo.http.post<RoomSummary>(`/room/${room.id}/invite`, {
      userId: joe.user.id,
    });
    expect(invited.status).toBe(200);
    await waitFor('Joe to be shown the room', () => joeShown.some((r) => r.id === room.id));
    // Joe, now a member, brings Alex in.
    expect((await joe.http.post(`/room/${room.id}/invite`, { userId: alex.user.id })).status).toBe(
      200,
    );
    expect((await joe.http.post(`/room/${room.id}/invite`, { userId: '9999' })).status).toBe(404);
    const rooms = (await alex.http.get<RoomSummary[]>(`/rooms/${alex.user.id}`)).body;
    expect(rooms.find((r) => r.id === room.id)).toMatchObject({ names: ['Secret'], kind: 'group' });
  });
});

describe('typing', () => {
  it('reaches the room on the other instance, throttled, and is never stored', async () => {
    const pablo = await on(chat.a, 'Pablo');
    const joe = await on(chat.b, 'Joe');
    const notices = collect(pablo.socket, 'typing');
    const pabloMessages = collect(pablo.socket, 'message');
    const joeOwn = collect(joe.socket, 'typing');

    expect(await emit(joe.socket, 'typing', { roomId: '0', typing: true })).toEqual({ ok: true });
    await waitFor('Pablo to see Joe typing', () =>
      notices.some((n) => n.userId === joe.user.id && n.typing),
    );
    expect(notices.find((n) => n.userId === joe.user.id)).toEqual({
      roomId: '0',
      userId: joe.user.id,
      username: 'Joe',
      typing: true,
    });
    expect(await emit(joe.socket, 'typing', { roomId: '0', typing: true })).toMatchObject({
      ok: false,
      error: { code: 'rate_limited' },
    });
    expect(await emit(joe.socket, 'typing', { roomId: '0', typing: false })).toEqual({ ok: true });
    await waitFor('Pablo to see Joe stop', () =>
      notices.some((n) => n.userId === joe.user.id && !n.typing),
    );
    // A stop does not reopen the window (start/stop pairs cannot flood the room), and a stop
    // with no start before it tells nobody anything.
    expect(await emit(joe.socket, 'typing', { roomId: '0', typing: true })).toMatchObject({
      ok: false,
      error: { code: 'rate_limited' },
    });
    expect(await emit(joe.socket, 'typing', { roomId: '0', typing: false })).toEqual({ ok: true });
    // A marker event after it: once Pablo has it, anything the second stop caused has arrived.
    expect(await emit(joe.socket, 'message', { roomId: '0', message: 'all done' })).toMatchObject({
      ok: true,
    });
    await waitFor('Pablo to get the message', () =>
      pabloMessages.some((m) => m.message === 'all done'),
    );
    expect(notices.filter((n) => n.userId === joe.user.id).map((n) => n.typing)).toEqual([
      true,
      false,
    ]);
    expect(await emit(joe.socket, 'typing', { roomId: '1:3', typing: true })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(joeOwn).toEqual([]);
    // Nothing is stored but the claim on Joe's next start (gone by now, or lapsing by itself).
    const claim = `ratelimit:typing:${joe.user.id}:0`;
    expect((await chat.redis.client.keys('*typing*')).filter((key) => key !== claim)).toEqual([]);
    expect(await chat.redis.client.pTTL(claim)).toBeLessThanOrEqual(2000);
    expect(await chat.redis.client.pTTL(claim)).not.toBe(-1);
  });
});

describe('mentions', () => {
  it('count only members of the room: everyone in General, the two in a private room, the members of a group', async () => {
    const pablo = await on(chat.a, 'Pablo');
    const mary = await on(chat.b, 'Mary');
    const joe = await on(chat.b, 'Joe');
    const text = 'ping @Mary @Joe @Nobody';

    expect((await post(pablo.socket, '0', text)).mentions?.sort()).toEqual(
      [mary.user.id, joe.user.id].sort(),
    );

    const direct = await pablo.http.post<RoomSummary>('/room', {
      user1: pablo.user.id,
      user2: mary.user.id,
    });
    expect((await post(pablo.socket, direct.body.id, text)).mentions).toEqual([mary.user.id]);

    const group = await pablo.http.post<RoomSummary>('/rooms', { name: 'Mentions only' });
    await mary.http.post(`/room/${group.body.id}/join`);
    await emit(pablo.socket, 'room.join', group.body.id);
    expect((await post(pablo.socket, group.body.id, text)).mentions).toEqual([mary.user.id]);
  });
});

describe('unread counts and read markers', () => {
  it('count messages and mentions after the marker, the same on every tab, and survive reloads', async () => {
    const mary = await on(chat.a, 'Mary');
    const maryOtherTab = await chat.socketOn(chat.b, mary.http.cookie);
    const pablo = await on(chat.b, 'Pablo');

    const unreadOf = async (http: HttpClient, roomId: string) => {
      const rooms = (await http.get<RoomSummary[]>(`/rooms/${mary.user.id}`)).body;
      return rooms.find((r) => r.id === roomId);
    };
    // Start from a clean slate: read everything in General.
    const newest = (await mary.http.get<ChatMessage[]>('/room/0/messages?offset=0&size=1')).body[0];
    await mary.http.post('/room/0/read', { messageId: newest?.id });
    expect(await unreadOf(mary.http, '0')).toMatchObject({ unread: 0, unreadMentions: 0 });

    await post(pablo.socket, '0', 'plain message');
    const mention = await post(pablo.socket, '0', 'hey @Mary, look');
    expect(mention.mentions).toEqual([mary.user.id]);
    expect(await unreadOf(mary.http, '0')).toMatchObject({ unread: 2, unreadMentions: 1 });

    const tabA = collect(mary.socket, 'room.read');
    const tabB = collect(maryOtherTab, 'room.read');
    const read = await mary.http.post('/room/0/read', { messageId: mention.id });
    expect(read.body).toEqual({ roomId: '0', lastReadId: mention.id });
    await waitFor('both tabs to hear of the read', () => tabA.length > 0 && tabB.length > 0);
    expect(tabB).toEqual([{ roomId: '0', lastReadId: mention.id }]);

    // A new session (a reload, another device) sees the same.
    const reloaded = new HttpClient(chat.a.url);
    await reloaded.login('Mary');
    expect(await unreadOf(reloaded, '0')).toMatchObject({
      unread: 0,
      unreadMentions: 0,
      lastReadId: mention.id,
    });

    // The marker never moves back.
    const older = await mary.http.post('/room/0/read', { messageId: newest?.id });
    expect(older.body).toEqual({ roomId: '0', lastReadId: mention.id });
    expect((await mary.http.post('/room/1:2/read', { messageId: mention.id })).status).toBe(403);
    expect((await mary.http.post('/room/0/read', { messageId: 'nope' })).status).toBe(400);
  });

  it('count your own messages as read', async () => {
    const joe = await on(chat.a, 'Joe');
    await post(joe.socket, '2:3', 'my own');
    const rooms = (await joe.http.get<RoomSummary[]>(`/rooms/${joe.user.id}`)).body;
    expect(rooms.find((r) => r.id === '2:3')).toMatchObject({ unread: 0 });
  });
});

describe('editing and deleting', () => {
  it('changes your own messages for everyone live, and nobody else’s', async () => {
    const joe = await on(chat.b, 'Joe');
    const pablo = await on(chat.a, 'Pablo');
    const updates = collect(pablo.socket, 'message.updated');
    const original = await post(joe.socket, '1:2', 'typo hree');

    const edited = await emit(joe.socket, 'message.edit', {
      roomId: '1:2',
      id: original.id,
      message: 'typo here',
    });
    expect(edited).toMatchObject({
      ok: true,
      message: { id: original.id, message: 'typo here', edited: true },
    });
    await waitFor('Pablo to see the edit', () =>
      updates.some((m) => m.id === original.id && m.edited),
    );

    expect(
      await emit(pablo.socket, 'message.edit', {
        roomId: '1:2',
        id: original.id,
        message: 'mine now',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_author', message: 'you can only change your own messages' },
    });
    expect(
      await emit(pablo.socket, 'message.delete', { roomId: '1:2', id: original.id }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_author' },
    });
    expect(
      await emit(joe.socket, 'message.edit', { roomId: '1:2', id: '123-nothere', message: 'x' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });

    const deleted = await emit(joe.socket, 'message.delete', { roomId: '1:2', id: original.id });
    expect(deleted).toMatchObject({
      ok: true,
      message: { id: original.id, message: '', deleted: true },
    });
    await waitFor('Pablo to see the delete', () =>
      updates.some((m) => m.id === original.id && m.deleted),
    );
    expect(
      await emit(joe.socket, 'message.edit', { roomId: '1:2', id: original.id, message: 'undo' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: 'a deleted message cannot be edited' },
    });

    const history = (await pablo.http.get<ChatMessage[]>('/room/1:2/messages?offset=0&size=5'))
      .body;
    const stored = history.filter((m) => m.id === original.id);
    expect(stored).toEqual([{ ...original, message: '', deleted: true }]);
  });
});

describe('mentions', () => {
  it('name only members of the room', async () => {
    const pablo = await on(chat.a, 'Pablo');
    const room = (await pablo.http.post<RoomSummary>('/rooms', { name: 'Mentions' })).body;
    const message = await post(pablo.socket, room.id, '@Joe and @Pablo and @Nobody');
    expect(message.mentions).toEqual([pablo.user.id]);
    const direct = await post(pablo.socket, '1:3', '@Mary @Joe');
    expect(direct.mentions).toEqual(['3']);
  });
});
