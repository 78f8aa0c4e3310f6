/**
 * Memory per socket against the user's number of rooms: a server in this process (so that the
 * heap can be measured after a full GC), a user put in N group rooms straight through Redis (the
 * keys POST /rooms writes), then K sockets of that user; the heap growth over the K sockets,
 * divided by K, once per room count.
 *
 *   node --expose-gc --import tsx bench/socket-memory.ts [--rooms 10,2000] [--sockets 200]
 *
 * The socket.io-client sockets live in this process too, so the figure is server plus client; the
 * client's share does not depend on the rooms, so the difference between the steps is the server's.
 */
import { parseArgs } from 'node:util';
import { createClient } from 'redis';
import { io, type Socket } from 'socket.io-client';
import { startInProcessServer, startRedis } from '../scripts/launcher/index.js';

const { values } = parseArgs({
  options: {
    rooms: { type: 'string', default: '10,2000' },
    sockets: { type: 'string', default: '200' },
  },
});
const roomCounts = (values.rooms ?? '').split(',').map(Number);
const socketCount = Number(values.sockets);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

async function memoryAfterGc(): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((done) => setTimeout(done, 50));
  }
  return process.memoryUsage();
}

function connect(url: string, cookie: string): Promise<Socket> {
  const socket = io(url, {
    extraHeaders: { cookie },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((done, fail) => {
    socket.once('connect', () => done(socket));
    socket.once('connect_error', fail);
  });
}

const redis = await startRedis();
const server = await startInProcessServer({
  redis,
  env: {
    LOG_LEVEL: 'silent',
    COOKIE_SECURE: 'false',
    DEMO_DATA: 'false',
    MAX_CONNECTIONS_PER_USER: '0',
  },
});
const client = createClient({ url: redis.url });
await client.connect();
try {
  let nextRoomId = 1;
  for (const rooms of roomCounts) {
    const login = await fetch(`${server.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: `rooms${rooms}`, password: 'password123' }),
    });
    const cookie = (login.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    const { id: userId } = (await login.json()) as { id: string };
    const roomIds = Array.from({ length: rooms }, () => String(nextRoomId++));
    const write = client.multi();
    for (const roomId of roomIds) {
      write.set(`room:${roomId}:name`, `room ${roomId}`);
      write.hSet(`room:${roomId}:info`, { visibility: 'private', createdBy: userId });
      write.sAdd(`room:${roomId}:members`, userId);
    }
    write.sAdd(`user:${userId}:rooms`, roomIds);
    write.set('total_rooms', String(nextRoomId));
    await write.exec();

    // One socket first, so that what is kept once per user (not per socket) is in the baseline.
    const first = await connect(server.url, cookie);
    await new Promise((done) => setTimeout(done, 500));
    const before = await memoryAfterGc();
    const sockets: Socket[] = [];
    for (let i = 0; i < socketCount; i++) sockets.push(await connect(server.url, cookie));
    // Each socket follows the user's rooms once their ids are read from Redis.
    await new Promise((done) => setTimeout(done, 3000));
    const after = await memoryAfterGc();
    const perSocket = (key: keyof NodeJS.MemoryUsage) =>
      ((after[key] - before[key]) / 1024 / socketCount).toFixed(1);
    // External memory (Buffers: each WebSocket's receive buffers, TLS-free here) is apart from the
    // heap; RSS also holds what the allocator keeps, so it is given for comparison only.
    console.log(
      `rooms ${rooms}: ${socketCount} sockets, per socket: heap +${perSocket('heapUsed')} KB, ` +
        `external +${perSocket('external')} KB, rss +${perSocket('rss')} KB`,
    );
    for (const socket of [first, ...sockets]) socket.close();
    // Closed sockets are let go of once both ends have seen the close.
    await new Promise((done) => setTimeout(done, 3000));
  }
} finally {
  await client.close();
  await server.stop();
  await redis.stop();
}
