/**
 * Server processes on one Redis when things go wrong: a send retried on another instance after
 * its acknowledgement was lost is stored and delivered once; an instance cut off from Redis by a
 * silent network partition answers with errors instead of hanging, says so on /readyz, and once
 * the partition heals makes its clients catch up on what they missed.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AckResponse } from '../../src/protocol/events.js';
import type { ChatMessage } from '../../src/protocol/index.js';
import { type ChatClientSocket, collect } from '../support/clients.js';
import { type ServerProcess, startServerProcess } from '../support/server.js';
import { twoInstances } from '../support/two-instances.js';
import { waitFor } from '../support/wait.js';

const SERVER_ENV = { MESSAGES_PER_SECOND: '1000', LOG_LEVEL: 'warn' };
const chat = twoInstances();
const { on } = chat;

type MessageAck = AckResponse<{ message: ChatMessage }>;
const send = (socket: ChatClientSocket, payload: Record<string, unknown>) =>
  socket.timeout(5000).emitWithAck('message', payload as never) as Promise<MessageAck>;

describe('a send retried with its clientId', () => {
  it('is stored and delivered once, even when the retry reaches another instance at once', async () => {
    const onA = await on(chat.a, 'Pablo');
    // The same session on the other instance: the client reconnected there after losing its ack.
    const onB = await chat.socketOn(chat.b, onA.http.cookie);
    const reader = await on(chat.b, 'Joe');
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
    const { socket } = await on(chat.a, 'Pablo');
    const ack = await send(socket, { roomId: '0', message: 'hi', clientId: 'no spaces allowed' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(!ack.ok && ack.error.message).toMatch(/clientId must be/);
    expect((await send(socket, { roomId: '0', message: 'hi' })).ok).toBe(true);
  });
});

/**
 * A TCP proxy to Redis that can go silent: connections stay open, bytes are held instead of
 * forwarded (a network partition that drops packets), and flow again when it heals.
 */
async function startSilenceableProxy(targetPort: number) {
  let silent = false;
  const held: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  const forward = (from: net.Socket, to: net.Socket) =>
    from.on('data', (chunk) => {
      if (silent) held.push(() => to.write(chunk));
      else to.write(chunk);
    });
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    forward(client, upstream);
    forward(upstream, client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    silence: () => {
      silent = true;
    },
    heal: () => {
      silent = false;
      for (const write of held.splice(0)) write();
    },
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

describe('an instance cut off from Redis by a silent partition', () => {
  let proxy: Awaited<ReturnType<typeof startSilenceableProxy>>;
  let cutOff: ServerProcess;

  beforeAll(async () => {
    proxy = await startSilenceableProxy(chat.redis.port);
    cutOff = await startServerProcess(proxy.url, {
      ...SERVER_ENV,
      REDIS_COMMAND_TIMEOUT_MS: '2000',
    });
  }, 60_000);

  afterAll(async () => {
    proxy?.heal();
    await cutOff?.stop();
    await proxy?.close();
  });

  const readiness = async () => (await fetch(`${cutOff.url}/readyz`)).status;

  it('answers with an error ack, turns /readyz 503, and after healing makes its clients catch up', async () => {
    const pablo = await on(cutOff, 'Pablo');
    const joe = await on(chat.b, 'Joe');

    proxy.silence();
    // Each command the send makes fails after REDIS_COMMAND_TIMEOUT_MS: an answer, not a hang.
    const refused = (await pablo.socket
      .timeout(20_000)
      .emitWithAck('message', { roomId: '0', message: 'into the void' } as never)) as MessageAck;
    expect(refused).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    await waitFor('/readyz to answer 503', async () => (await readiness()) === 503);
    // Meanwhile the rest of the deployment goes on; this instance's subscribers hear nothing,
    // until they give their connections up.
    const missed = await send(joe.socket, { roomId: '0', message: 'while you were cut off' });
    expect(missed.ok).toBe(true);
    await waitFor('the subscriber to drop its silent connection', () =>
      /"SocketTimeoutError".*"client":"adapter-subscriber"/.test(cutOff.output()),
    );

    proxy.heal();
    await waitFor('/readyz to answer 200', async () => (await readiness()) === 200);
    // Its subscriptions were interrupted: its clients are made to reconnect and catch up.
    await waitFor('the server to close the connection', () => pablo.socket.disconnected, 15_000);
    const again = await on(cutOff, 'Pablo');
    const live = collect(again.socket, 'message');
    await waitFor('a live message to reach the instance again', async () => {
      await send(joe.socket, { roomId: '0', message: 'welcome back' });
      return live.some((m) => m.message === 'welcome back');
    });
    const after = await again.http.get<ChatMessage[]>('/room/0/messages?offset=0&size=10');
    expect(after.body.map((m) => m.message)).toContain('while you were cut off');
  });
});
