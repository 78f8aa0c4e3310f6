/**
 * Two server processes on one Redis when things go wrong between a client and the server: a send
 * retried on another instance after its acknowledgement was lost is stored and delivered once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AckResponse } from '../../src/protocol/events.js';
import type { ChatMessage } from '../../src/protocol/index.js';
import { type ChatClientSocket, HttpClient, collect, connectSocket } from '../support/clients.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { type ServerProcess, startServerProcesses } from '../support/server.js';
import { waitFor } from '../support/wait.js';

let redis: TestRedis;
let a: ServerProcess;
let b: ServerProcess;
const sockets: ChatClientSocket[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  [a, b] = (await startServerProcesses(2, redis.url, {
    MESSAGES_PER_SECOND: '1000',
    LOG_LEVEL: 'warn',
  })) as [ServerProcess, ServerProcess];
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
});

/** Signs a user in on one instance and opens a socket there. */
async function on(server: ServerProcess, username: string) {
  const http = new HttpClient(server.url);
  const user = await http.login(username);
  const socket = await connectSocket(server.url, http.cookie);
  sockets.push(socket);
  return { http, user, socket };
}

type MessageAck = AckResponse<{ message: ChatMessage }>;
const send = (socket: ChatClientSocket, payload: Record<string, unknown>) =>
  socket.timeout(5000).emitWithAck('message', payload as never) as Promise<MessageAck>;

describe('a send retried with its clientId', () => {
  it('is stored and delivered once, even when the retry reaches another instance at once', async () => {
    const onA = await on(a, 'Pablo');
    // The same session on the other instance: the client reconnected there after losing its ack.
    const onB = await connectSocket(b.url, onA.http.cookie);
    sockets.push(onB);
    const reader = await on(b, 'Joe');
    const delivered = collect(reader.socket, 'message');

    const payload = { roomId: '0', message: 'sent once', clientId: 'c0ffee00-retry-0001' };
    const [first, retry] = await Promise.all([send(onA.socket, payload), send(onB, payload)]);
    const again = await send(onB, payload);
    if (!first.ok || !retry.ok || !again.ok) throw new Error('a send was refused');
    expect(retry.message).toEqual(first.message);
    expect(again.message).toEqual(first.message);

    // A send without clientId after them: once it is delivered, so would a second copy be.
    const after = await send(onA.socket, { roomId: '0', message: 'after' });
    await waitFor('the later message', () => delivered.some((m) => m.message === 'after'));
    expect(delivered.filter((m) => m.message === 'sent once')).toHaveLength(1);
    const stored = await reader.http.get<ChatMessage[]>('/room/0/messages?offset=0&size=10');
    expect(stored.body.filter((m) => m.message === 'sent once')).toEqual([first.message]);
    expect(after.ok).toBe(true);

    // The id belongs to its author: another user's send with it is a send of their own.
    const joes = await send(reader.socket, payload);
    expect(joes.ok && joes.message.from).toBe(reader.user.id);
  });

  it('refuses a clientId that is not a short id, and the server keeps serving', async () => {
    const { socket } = await on(a, 'Pablo');
    const ack = await send(socket, { roomId: '0', message: 'hi', clientId: 'no spaces allowed' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(!ack.ok && ack.error.message).toMatch(/clientId must be/);
    expect((await send(socket, { roomId: '0', message: 'hi' })).ok).toBe(true);
  });
});
