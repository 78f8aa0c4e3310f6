/**
 * What the server logs at debug level while people register, sign in, chat and edit: every line
 * about a request carries its request id and, once signed in, the user's id; every line about a
 * socket event its socket id and user id; and no password, message text or session cookie ever
 * appears, however recognisable.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningChatServer, startChatServer } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { HttpClient, connectSocket } from '../support/clients.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

const SECRETS = {
  registrationPassword: 'Registration-Secret-5b1e',
  wrongPassword: 'Wrong-Guess-Secret-77aa',
  message: 'Message-Secret-9c2f hello',
  edit: 'Edited-Secret-3d4e hello',
  privateMessage: 'Private-Secret-a81f',
};

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  userId?: string;
  socketId?: string;
  event?: string;
  route?: string;
}

let redis: TestRedis;
let server: RunningChatServer;
const output: string[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output.push(chunk.toString());
      done();
    },
  });
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    REDIS_URL: redis.url,
    LOG_LEVEL: 'debug',
    COOKIE_SECURE: 'false',
    WEB_DIST_DIR: 'no-web-client-here',
  });
  server = await startChatServer(config, pino({ level: 'debug' }, capture), redis.url);
});

afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

describe('the logs, at debug level', () => {
  it('carry request and socket ids with the user id, and never a password, message text or cookie', async () => {
    // A registration, a failed and a good sign-in, a message, an edit, a private message.
    const newcomer = new HttpClient(server.url);
    const registered = await newcomer.post('/login', {
      username: 'Newcomer',
      password: SECRETS.registrationPassword,
    });
    expect(registered.status).toBe(201);
    const guesser = new HttpClient(server.url);
    expect(
      (await guesser.post('/login', { username: 'Newcomer', password: SECRETS.wrongPassword }))
        .status,
    ).toBe(401);
    const again = new HttpClient(server.url);
    expect(
      (
        await again.post('/login', {
          username: 'Newcomer',
          password: SECRETS.registrationPassword,
        })
      ).status,
    ).toBe(200);
    const userId = (registered.body as { id: string }).id;

    const socket = await connectSocket(server.url, again.cookie);
    try {
      const sent = (await socket
        .timeout(5000)
        .emitWithAck('message', { roomId: '0', message: SECRETS.message })) as {
        ok: boolean;
        message: { id: string };
      };
      expect(sent.ok).toBe(true);
      const edited = (await socket.timeout(5000).emitWithAck('message.edit', {
        roomId: '0',
        id: sent.message.id,
        message: SECRETS.edit,
      })) as { ok: boolean };
      expect(edited.ok).toBe(true);
      const direct = (await socket
        .timeout(5000)
        .emitWithAck('message', { roomId: `1:${userId}`, message: SECRETS.privateMessage })) as {
        ok: boolean;
      };
      expect(direct.ok).toBe(true);
      expect((await again.get('/room/0/messages?offset=0&size=5')).status).toBe(200);
    } finally {
      socket.close();
    }
    await new Promise((done) => setTimeout(done, 100)); // the socket's closing line

    const text = output.join('');
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as LogLine);

    // Nothing secret, in any line.
    for (const [what, secret] of Object.entries(SECRETS)) {
      expect(text.includes(secret), `${what} appears in the logs`).toBe(false);
    }
    const cookieValue = decodeURIComponent(again.cookie.split('=')[1] ?? '');
    expect(cookieValue.length).toBeGreaterThan(10);
    expect(text.includes(cookieValue)).toBe(false);
    expect(text).not.toMatch(/\$2[aby]\$\d\d\$/); // no bcrypt hash either

    // Every request line has its request id; those of a signed-in user name the user.
    const requestLines = lines.filter((line) => line.msg === 'request completed');
    expect(requestLines.length).toBeGreaterThanOrEqual(4);
    for (const line of requestLines) expect(line.reqId).toBeTruthy();
    expect(requestLines.find((line) => line.route === '/room/:id/messages')).toMatchObject({
      userId,
    });
    // The sign-ins that succeeded name their user; the refused one names nobody.
    const logins = requestLines.filter((line) => line.route === '/login');
    expect(logins.map((line) => line.userId ?? null)).toEqual([userId, null, userId]);

    // Every socket event, and the socket's life, with the socket id and the user id.
    const socketLines = lines.filter((line) => line.socketId !== undefined);
    expect(socketLines.map((line) => line.event ?? line.msg)).toEqual(
      expect.arrayContaining(['socket connected', 'message', 'message.edit', 'socket closed']),
    );
    for (const line of socketLines) expect(line.userId).toBe(userId);
  });
});
