/**
 * Moderation against a real Redis and two server processes: an administrator (ADMIN_USERS) bans
 * a user through instance A, and that user's socket and /stream on instance B close within a
 * second; their sign-in is refused with 403 `banned` until the ban is lifted. Others may not ban.
 * An administrator deletes anyone's message; the room sees the placeholder.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, CurrentUser } from '../../src/protocol/models.js';
import { type ChatClientSocket, HttpClient, collect, connectSocket } from '../support/clients.js';
import { startInstances } from '../support/cluster.js';
import { type TestRedis, startTestRedis } from '../support/redis.js';
import type { ServerProcess } from '../support/server.js';
import { waitFor } from '../support/wait.js';

/** How long a banned user's connections may stay open. */
const END_WITHIN_MS = 1_000;

let redis: TestRedis;
let instanceA: ServerProcess;
let instanceB: ServerProcess;
const closers: (() => void)[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  [instanceA, instanceB] = (await startInstances(redis.url, 2, {
    ADMIN_USERS: 'pablo, Mary',
  })) as [ServerProcess, ServerProcess];
});

afterEach(() => {
  for (const close of closers.splice(0)) close();
});

afterAll(async () => {
  await Promise.all([instanceA, instanceB].map((server) => server?.stop()));
  await redis?.stop();
});

async function socketOn(server: ServerProcess, cookie: string): Promise<ChatClientSocket> {
  const socket = await connectSocket(server.url, cookie);
  closers.push(() => socket.close());
  return socket;
}

describe('roles', () => {
  it('GET /me and POST /login say whether the user administers', async () => {
    const pablo = new HttpClient(instanceA.url);
    const joe = new HttpClient(instanceA.url);
    expect(
      (await pablo.post<CurrentUser>('/login', { username: 'Pablo', password: 'password123' }))
        .body,
    ).toEqual({ id: '1', username: 'Pablo', admin: true });
    expect(
      (await joe.post<CurrentUser>('/login', { username: 'Joe', password: 'password123' })).body
        .admin,
    ).toBe(false);
    expect((await pablo.get<CurrentUser>('/me')).body.admin).toBe(true);
    expect((await joe.get<CurrentUser>('/me')).body).toEqual({
      id: '2',
      username: 'Joe',
      admin: false,
    });
  });
});

describe('a ban', () => {
  it('closes the user’s socket and stream on another instance at once, and refuses their sign-in until lifted', async () => {
    const admin = new HttpClient(instanceA.url);
    await admin.login('Pablo');
    const target = new HttpClient(instanceB.url);
    const user = await target.login('banned-one', 'pw-secret');
    const socket = await socketOn(instanceB, target.cookie);
    const closed = { at: 0 };
    socket.on('disconnect', () => {
      closed.at = Date.now();
    });
    const controller = new AbortController();
    closers.push(() => controller.abort());
    const stream = await fetch(`${instanceB.url}/stream`, {
      headers: { cookie: target.cookie },
      signal: controller.signal,
    });
    const streamEnded = { at: 0 };
    void (async () => {
      const reader = stream.body!.getReader();
      while (!(await reader.read().catch(() => ({ done: true }))).done);
      streamEnded.at = Date.now();
    })();

    expect((await admin.post(`/users/${user.id}/ban`)).status).toBe(204);
    await waitFor('the socket to close', () => closed.at > 0, END_WITHIN_MS);
    await waitFor('the stream to end', () => streamEnded.at > 0, END_WITHIN_MS);

    // The cookie opens nothing any more, and signing in is refused, on either instance.
    expect((await target.get('/me')).body).toBeNull();
    for (const server of [instanceA, instanceB]) {
      const again = new HttpClient(server.url);
      const refused = await again.post('/login', { username: 'banned-one', password: 'pw-secret' });
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({
        code: 'banned',
        message: 'this account is banned: an administrator must lift the ban',
      });
    }
    // A wrong password learns nothing about the ban.
    const guess = await new HttpClient(instanceA.url).post('/login', {
      username: 'banned-one',
      password: 'wrong',
    });
    expect(guess.status).toBe(401);

    expect((await admin.post(`/users/${user.id}/unban`)).status).toBe(204);
    expect((await new HttpClient(instanceB.url).login('banned-one', 'pw-secret')).id).toBe(user.id);
  });

  it('is refused to a user who is not an administrator, and for an administrator', async () => {
    const joe = new HttpClient(instanceA.url);
    await joe.login('Joe');
    expect(await joe.post('/users/3/ban')).toMatchObject({
      status: 403,
      body: { code: 'forbidden', message: 'only an administrator may do this' },
    });
    const pablo = new HttpClient(instanceA.url);
    await pablo.login('Pablo');
    const mary = await new HttpClient(instanceA.url).login('Mary');
    expect((await pablo.post(`/users/${mary.id}/ban`)).status).toBe(403);
  });
});

describe('deleting a message', () => {
  it('is open to an administrator for anyone’s message; the room sees the placeholder', async () => {
    const joe = new HttpClient(instanceA.url);
    await joe.login('Joe');
    const pablo = new HttpClient(instanceB.url);
    await pablo.login('Pablo');
    const alex = new HttpClient(instanceA.url);
    await alex.login('Alex');
    const joeSocket = await socketOn(instanceA, joe.cookie);
    const pabloSocket = await socketOn(instanceB, pablo.cookie);
    const alexSocket = await socketOn(instanceA, alex.cookie);
    const updates = collect(joeSocket, 'message.updated');

    const sent = (await joeSocket
      .timeout(5000)
      .emitWithAck('message', { roomId: '0', message: 'spam' })) as { message: ChatMessage };
    const byAlex = await alexSocket
      .timeout(5000)
      .emitWithAck('message.delete', { roomId: '0', id: sent.message.id });
    expect(byAlex).toMatchObject({ ok: false, error: { code: 'not_author' } });

    const byAdmin = await pabloSocket
      .timeout(5000)
      .emitWithAck('message.delete', { roomId: '0', id: sent.message.id });
    expect(byAdmin).toMatchObject({ message: { id: sent.message.id, deleted: true, message: '' } });
    await waitFor('the placeholder to reach the author', () =>
      updates.find((update) => update.id === sent.message.id && update.deleted),
    );
  });
});
