/** Rooms through the fake transport: announced, opened, created, joined, left. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../core/transport/index.js';
import { roomView, settle, startTestSession } from '../../test/chat-harness.js';
import { testMessage as message } from '../../test/test-messages.js';
import type { ChatState } from '../../screens/chat-state.js';

const general = (state: ChatState) => roomView(state, '0')!;

afterEach(() => {
  vi.useRealTimers();
});

describe('rooms-effects', () => {
  it('adds a private room announced by show.room, and one that only a message reveals', async () => {
    const { socket, state, calls } = startTestSession({
      rooms: () => [{ id: '1:4', names: ['Pablo', 'Alex'] }],
    });
    socket.goOnline();
    await settle();
    socket.serverEmits('show.room', { id: '1:2', names: ['Pablo', 'Joe'] });
    expect(roomView(state(), '1:2')?.summary.names).toEqual(['Pablo', 'Joe']);

    const roomsCallsBefore = calls.filter((call) => call.name === 'rooms').length;
    socket.serverEmits('message', message('3', 'surprise', '1:3'));
    expect(roomView(state(), '1:3')?.unread).toBe(1);
    await vi.waitFor(() =>
      expect(calls.filter((call) => call.name === 'rooms').length).toBe(roomsCallsBefore + 1),
    );
  });

  it('opens a private room through the API and shows it', async () => {
    const { socket, session, state, calls } = startTestSession();
    socket.goOnline();
    await session.rooms.openPrivateRoom('2');
    expect(calls.find((call) => call.name === 'openPrivateRoom')?.args).toEqual(['1', '2']);
    expect(state().openRoom.roomId).toBe('1:2');
    await vi.waitFor(() =>
      expect(calls.some((call) => call.name === 'messagesPage' && call.args[0] === '1:2')).toBe(
        true,
      ),
    );
  });

  it('creates, joins and leaves group rooms, and follows hide.room and room.member', async () => {
    const { socket, session, state, calls } = startTestSession({
      members: (roomId: string) =>
        roomId === '7' ? [{ id: '1', username: 'Pablo', online: true }] : [],
    });
    socket.goOnline();
    await settle();

    await session.rooms.createRoom('design', 'private');
    expect(calls.find((call) => call.name === 'createRoom')?.args).toEqual(['design', 'private']);
    expect(state().openRoom.roomId).toBe('7');
    expect(roomView(state(), '7')?.summary).toMatchObject({ visibility: 'private' });
    await vi.waitFor(() => expect(roomView(state(), '7')?.members).toHaveLength(1));

    socket.serverEmits('room.member', {
      roomId: '7',
      user: { id: '2', username: 'Joe' },
      joined: true,
    });
    expect(roomView(state(), '7')?.members?.map((m) => m.username)).toEqual(['Joe', 'Pablo']);

    // show.room keeps what a group room is.
    socket.serverEmits('show.room', {
      id: '8',
      names: ['ops'],
      kind: 'group',
      visibility: 'public',
    });
    expect(roomView(state(), '8')?.summary).toMatchObject({ kind: 'group' });
    await session.rooms.joinRoom('8');
    // Already listed: no join request, just opened.
    expect(calls.some((call) => call.name === 'joinRoom')).toBe(false);
    expect(state().openRoom.roomId).toBe('8');

    await session.rooms.leaveRoom('8');
    expect(calls.find((call) => call.name === 'leaveRoom')?.args).toEqual(['8']);
    expect(roomView(state(), '8')).toBeUndefined();
    expect(state().openRoom.roomId).toBe('0');

    // Left on another tab.
    socket.serverEmits('hide.room', { id: '7' });
    expect(roomView(state(), '7')).toBeUndefined();
  });

  it("refuses to create a room with a taken name with the server's reason", async () => {
    const { socket, session, state } = startTestSession({
      createRoom: () => {
        throw new ApiError(409, 'conflict', 'a room named "design" already exists');
      },
    });
    socket.goOnline();
    await expect(session.rooms.createRoom('Design', 'public')).rejects.toMatchObject({
      code: 'conflict',
      message: 'a room named "design" already exists',
    });
    expect(state().openRoom.roomId).toBe('0');
  });

  it('reopens the room named by the address and reads nothing else before it is settled', async () => {
    const older = message('3', 'unread in General');
    let answerRooms: (rooms: unknown) => void = () => undefined;
    const { calls, session, state } = startTestSession(
      {
        rooms: () => new Promise((answer) => (answerRooms = answer)),
        messagesPage: (roomId: string) => (roomId === '0' ? [older] : []),
      },
      '1:3',
    );
    await settle();
    // General is loaded and on screen meanwhile, but seeing it must not mark it read.
    session.reads.markRead('0');
    expect(calls.filter((call) => call.name === 'markRead')).toEqual([]);

    answerRooms([
      { id: '0', names: ['General'], kind: 'general', unread: 1 },
      { id: '1:3', names: ['Pablo', 'Mary'] },
    ]);
    await settle();
    expect(state().openRoom.roomId).toBe('1:3');
    expect(general(state()).unread).toBe(1);
    expect(calls.some((call) => call.name === 'messagesPage' && call.args[0] === '1:3')).toBe(true);
  });

  it('drops a group room left on another tab while offline, but not one joined meanwhile', async () => {
    const general = { id: '0', names: ['General'], kind: 'general' as const };
    const design = {
      id: '7',
      names: ['Design'],
      kind: 'group' as const,
      visibility: 'public' as const,
    };
    const lists: ((rooms: unknown) => void)[] = [];
    const { socket, session, state } = startTestSession({
      rooms: () => new Promise((answer) => lists.push(answer)),
      joinRoom: (roomId: string) => ({ id: roomId, names: ['Ops'], kind: 'group' }),
    });
    socket.goOnline();
    await settle();
    lists.shift()!([general, design]);
    await settle();
    expect(Object.keys(state().rooms).sort()).toEqual(['0', '7']);

    // Offline, Design was left elsewhere; back online, the catch-up asks for the list, and
    // while that request is out this tab joins Ops.
    socket.goOffline();
    socket.goOnline();
    await vi.waitFor(() => expect(lists).toHaveLength(1));
    await session.rooms.joinRoom('8');
    lists.shift()!([general]);
    await settle();
    expect(Object.keys(state().rooms).sort()).toEqual(['0', '8']);
  });
});
