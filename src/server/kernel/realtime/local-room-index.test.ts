import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { roomChannel, userChannel } from './channels.js';
import { LocalRoomIndex } from './local-room-index.js';
import type { ChatServer } from './socket-types.js';

const ROOMS = 500;
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A Socket.IO server on a free port whose sockets are user `?user=` and join their channel. */
async function start() {
  const http = createServer();
  const io: ChatServer = new Server(http);
  const index = new LocalRoomIndex(io);
  io.on('connection', (socket) => {
    socket.data.userId = String(socket.handshake.query.user);
    void socket.join(userChannel(socket.data.userId));
  });
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  cleanups.push(() => new Promise<void>((done) => void io.close(() => done())));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const client = async (user: string): Promise<Socket> => {
    const socket = connect(url, { query: { user }, transports: ['websocket'], forceNew: true });
    cleanups.push(() => void socket.close());
    await new Promise<void>((done) => socket.once('connect', () => done()));
    return socket;
  };
  const serverSocket = (client: Socket) => {
    const found = io.of('/').sockets.get(client.id ?? '');
    if (!found) throw new Error('no such socket');
    return found;
  };
  return { io, index, client, serverSocket };
}

const received = (socket: Socket, event: string) => {
  const payloads: unknown[] = [];
  socket.on(event, (payload: unknown) => payloads.push(payload));
  return payloads;
};

describe('the local room index', () => {
  it('keeps a socket in a fixed number of channels however many rooms it joins', async () => {
    const { io, index, client, serverSocket } = await start();
    const tabs = [await client('1'), await client('1')];
    const rooms = Array.from({ length: ROOMS }, (_, i) => roomChannel(String(i + 1)));
    for (const tab of tabs) await serverSocket(tab).join(rooms);
    for (const tab of tabs) expect(serverSocket(tab).rooms.size).toBe(2); // its id, its user
    expect(index.follows('1', String(ROOMS))).toBe(true);
    expect(index.socketsIn(roomChannel('7'))).toBe(2);

    const [one, two] = tabs.map((tab) => received(tab, 'room.member'));
    const other = received(await client('2'), 'room.member');
    io.to(roomChannel('7')).emit('room.member', { roomId: '7' } as never);
    await expect.poll(() => [one?.length, two?.length]).toEqual([1, 1]);
    expect(other).toEqual([]);
  });

  it('forgets a room left, and a user whose last socket closed', async () => {
    const { io, index, client, serverSocket } = await start();
    const [tab1, tab2] = [await client('1'), await client('1')];
    await serverSocket(tab1).join([roomChannel('7'), roomChannel('8')]);
    io.in(userChannel('1')).socketsLeave(roomChannel('8'));
    expect(index.follows('1', '8')).toBe(false);
    expect(index.follows('1', '7')).toBe(true);
    tab1.close();
    await expect.poll(() => io.of('/').sockets.size).toBe(1);
    expect(index.follows('1', '7')).toBe(true); // the other tab still follows it
    tab2.close();
    await expect.poll(() => index.follows('1', '7')).toBe(false);
  });
});
