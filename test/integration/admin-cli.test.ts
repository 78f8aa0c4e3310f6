/**
 * The operator's command line (`npm run admin`) as its own process, against a real Redis and a
 * running server process: a ban from the command line closes the user's open socket within a
 * second and sign-in answers 403; a password reset ends the sessions; a delete reaches an open
 * client; delete-room takes a group room and every key named after it, and its members' open
 * clients drop it; export-room streams a room oldest first, a page at a time; mistakes exit
 * with 2.
 */
import { spawn } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, SessionUser } from '../../src/protocol/models.js';
import { runAdmin } from '../../src/server/admin/main.js';
import { type ChatClientSocket, HttpClient, collect, connectSocket } from '../support/clients.js';
import { startInstances } from '../support/cluster.js';
import { type TestRedis, startTestRedis } from '../support/redis.js';
import type { ServerProcess } from '../support/server.js';
import { waitFor } from '../support/wait.js';

/** How long a banned user's connection may stay open after the command returns. */
const END_WITHIN_MS = 1_000;

let redis: TestRedis;
let server: ServerProcess;
const closers: (() => void)[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  [server] = (await startInstances(redis.url, 1, { ADMIN_USERS: 'Pablo' })) as [ServerProcess];
});

afterEach(() => {
  for (const close of closers.splice(0)) close();
});

afterAll(async () => {
  await server?.stop();
  await redis?.stop();
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** When the process exited (ms since the epoch). */
  exitedAt: number;
}

const adminEnv = () => ({ REDIS_URL: redis.url, ADMIN_USERS: 'Pablo' });

/** Runs `npm run admin -- …` as npm does, its own process, with this test's Redis. */
function adminProcess(args: string[]): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/admin/main.ts', ...args], {
    env: { ...process.env, ...adminEnv() },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end();
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('close', (status) => done({ status, stdout, stderr, exitedAt: Date.now() }));
  });
}

/** The same command run in this process (what main.ts runs), quicker than a process each. */
async function admin(args: string[], stdin = ''): Promise<Run> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await runAdmin(args, { out, err, in: Readable.from([stdin]) }, adminEnv());
  return { status, stdout, stderr, exitedAt: Date.now() };
}

async function socketOf(http: HttpClient): Promise<ChatClientSocket> {
  const socket = await connectSocket(server.url, http.cookie);
  closers.push(() => socket.close());
  return socket;
}

/** Every key whose name is about the room (SCAN over the whole test database). */
async function keysNaming(roomId: string): Promise<string[]> {
  const naming = new RegExp(`(^|\\{)room:${roomId}($|:|\\})`);
  const keys: string[] = [];
  let cursor = '0';
  do {
    const reply = await redis.client.scan(cursor, { MATCH: '*', COUNT: 1000 });
    cursor = String(reply.cursor);
    keys.push(...reply.keys.filter((key) => naming.test(key)));
  } while (cursor !== '0');
  return keys;
}

async function person(username: string, password: string) {
  const http = new HttpClient(server.url);
  const user: SessionUser = await http.login(username, password);
  return { http, user };
}

describe('the command line', () => {
  it('explains itself, and refuses an unknown command, option or missing argument with 2', async () => {
    const help = await adminProcess(['--help']);
    expect(help.status).toBe(0);
    const names = [
      'users',
      'ban',
      'unban',
      'reset-password',
      'delete-room',
      'export-room',
      'stats',
    ];
    for (const name of names) {
      expect(help.stdout).toContain(`  ${name}`);
    }
    const banHelp = await admin(['reset-password', '--help']);
    expect(banHelp.status).toBe(0);
    expect(banHelp.stdout).toContain('Usage: npm run admin -- reset-password <username> [--stdin]');

    const unknown = await adminProcess(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('error: unknown command "frobnicate"');
    const badOption = await admin(['users', '--everyone']);
    expect(badOption.status).toBe(2);
    expect(badOption.stderr).toMatch(/error: Unknown option '--everyone'/);
    const missing = await admin(['ban']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('error: ban takes <username>');
    const badRoom = await admin(['export-room', 'general']);
    expect(badRoom.status).toBe(2);
    expect(badRoom.stderr).toContain('"general" is not a room id');
    const nobody = await admin(['ban', 'nobody-at-all']);
    expect(nobody.status).toBe(1);
    expect(nobody.stderr).toContain('error: no user is named nobody-at-all');
  });

  it('bans: the open socket closes within a second, sign-in answers 403 until unbanned; users shows it', async () => {
    const { http, user } = await person('cli-banned', 'pw-secret-1');
    const socket = await socketOf(http);
    const closed = { at: 0 };
    socket.on('disconnect', () => (closed.at = Date.now()));

    const listed = await admin(['users']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(`${user.id}\tcli-banned\tonline\t\n`);
    expect(listed.stdout).toContain('1\tPablo\toffline\tadmin\n');

    const banned = await adminProcess(['ban', 'cli-banned']);
    expect(banned.status).toBe(0);
    expect(banned.stderr).toContain(`banned cli-banned (id ${user.id})`);
    await waitFor('the socket to close', () => closed.at > 0, END_WITHIN_MS);
    expect(closed.at - banned.exitedAt).toBeLessThan(END_WITHIN_MS);

    const refused = await new HttpClient(server.url).post('/login', {
      username: 'cli-banned',
      password: 'pw-secret-1',
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'banned' });
    expect((await admin(['users'])).stdout).toContain(`${user.id}\tcli-banned\toffline\tbanned\n`);

    const administrator = await admin(['ban', 'pablo']);
    expect(administrator.status).toBe(1);
    expect(administrator.stderr).toContain('Pablo is an administrator');

    expect((await admin(['unban', 'cli-banned'])).status).toBe(0);
    expect((await new HttpClient(server.url).login('cli-banned', 'pw-secret-1')).id).toBe(user.id);
  });

  it('resets a password, generated or from stdin, and ends the user’s sessions', async () => {
    const { http, user } = await person('cli-forgetful', 'old-password');
    const socket = await socketOf(http);
    const closed = { at: 0 };
    socket.on('disconnect', () => (closed.at = Date.now()));

    const generated = await admin(['reset-password', 'cli-forgetful']);
    expect(generated.status).toBe(0);
    const password = generated.stdout.trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    await waitFor('the socket to close', () => closed.at > 0, END_WITHIN_MS);
    expect((await http.get('/me')).body).toBeNull();
    const old = await new HttpClient(server.url).post('/login', {
      username: 'cli-forgetful',
      password: 'old-password',
    });
    expect(old.status).toBe(401);
    // The password the operator knows must be replaced before anything else: sign-in and
    // GET /me say so (a reload too) until POST /me/password, which clears it.
    const given = new HttpClient(server.url);
    const signedIn = await given.post('/login', { username: 'cli-forgetful', password });
    expect(signedIn.body).toMatchObject({ username: 'cli-forgetful', mustChangePassword: true });
    expect((await given.get('/me')).body).toMatchObject({ mustChangePassword: true });
    // Whoever was told that password can't use the account with it: no API, no socket.
    const refused = await given.get(`/rooms/${user.id}`);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain('POST /me/password');
    await expect(connectSocket(server.url, given.cookie)).rejects.toMatchObject({
      data: { code: 'forbidden' },
    });
    const changed = await given.post('/me/password', { current: password, password: 'own-one' });
    expect(changed.status).toBe(204);
    expect((await given.get('/me')).body).not.toHaveProperty('mustChangePassword');
    expect((await given.get(`/rooms/${user.id}`)).status).toBe(200);
    await socketOf(given);
    const again = await new HttpClient(server.url).post('/login', {
      username: 'cli-forgetful',
      password: 'own-one',
    });
    expect(again.status).toBe(200);
    expect(again.body).not.toHaveProperty('mustChangePassword');

    const typed = await admin(['reset-password', 'cli-forgetful', '--stdin'], 'chosen-by-admin\n');
    expect(typed.status).toBe(0);
    expect(typed.stdout).toBe('');
    await new HttpClient(server.url).login('cli-forgetful', 'chosen-by-admin');
    const empty = await admin(['reset-password', 'cli-forgetful', '--stdin'], '\n');
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('password must not be empty');
  });

  it('deletes a message as an administrator would: an open client sees the placeholder', async () => {
    const writer = await person('cli-writer', 'pw-writer-1');
    const reader = await person('cli-reader', 'pw-reader-1');
    const writerSocket = await socketOf(writer.http);
    const readerSocket = await socketOf(reader.http);
    const updates = collect(readerSocket, 'message.updated');
    const ack = (await writerSocket.emitWithAck('message', {
      roomId: '0',
      message: 'something to regret',
    })) as { ok: true; message: ChatMessage };

    const deleted = await admin(['delete-message', '0', ack.message.id]);
    expect(deleted.status).toBe(0);
    await waitFor('the placeholder to arrive', () => updates.length > 0, END_WITHIN_MS);
    expect(updates[0]).toMatchObject({ id: ack.message.id, message: '', deleted: true });

    const again = await admin(['delete-message', '0', ack.message.id]);
    expect(again.stderr).toContain('already deleted');
    const missing = await admin(['delete-message', '0', '1-nothing']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('room 0 holds no message 1-nothing');
  });

  it('deletes a group room: members’ clients drop it, and no key naming it is left', async () => {
    const owner = await person('cli-room-owner', 'pw-owner-1');
    const guest = await person('cli-room-guest', 'pw-guest-1');
    const passer = await person('cli-room-passer', 'pw-passer-1');
    const room = (await owner.http.post<{ id: string }>('/rooms', { name: 'Doomed Planning' }))
      .body;
    expect(
      (await owner.http.post(`/room/${room.id}/invite`, { userId: guest.user.id })).status,
    ).toBe(200);
    // Someone who came and went leaves an invitation cooldown behind.
    expect((await passer.http.post(`/room/${room.id}/join`, {})).status).toBe(200);
    expect((await passer.http.post(`/room/${room.id}/leave`, {})).status).toBe(204);
    expect((await guest.http.post(`/room/${room.id}/mute`, {})).status).toBeLessThan(300);

    const ownerSocket = await socketOf(owner.http);
    const uploaded = await fetch(`${server.url}/room/${room.id}/files?name=plan.txt`, {
      method: 'POST',
      headers: { cookie: owner.http.cookie, 'content-type': 'text/plain' },
      body: 'the plan, in full',
    });
    expect(uploaded.status).toBe(201);
    const fileId = ((await uploaded.json()) as { id: string }).id;
    const send = async (message: string, extras: { replyTo?: string; files?: string[] } = {}) =>
      (
        (await ownerSocket.emitWithAck('message', { roomId: room.id, message, ...extras })) as {
          ok: true;
          message: ChatMessage;
        }
      ).message;
    const first = await send('the zanzibar plan, @cli-room-guest', { files: [fileId] });
    expect(first.files).toHaveLength(1);
    await send('a reply in a thread', { replyTo: first.id });
    await send('one more');
    const reacted = (await ownerSocket.emitWithAck('reaction.add', {
      roomId: room.id,
      messageId: first.id,
      emoji: '👍',
    })) as { ok: boolean };
    expect(reacted.ok).toBe(true);
    const search = () => guest.http.get<{ hits: unknown[] }>('/search?q=zanzibar');
    await waitFor('the word to be indexed', async () => (await search()).body.hits.length === 1);

    // Every family of keys the room had: what the delete must not leave behind.
    const before = await keysNaming(room.id);
    for (const family of [
      `room:${room.id}`,
      `room:${room.id}:name`,
      `room:${room.id}:info`,
      `room:${room.id}:members`,
      `room:${room.id}:mentions:${guest.user.id}`,
      `room:${room.id}:left:${passer.user.id}`,
      `{room:${room.id}}:reactions:${first.id}`,
      `{room:${room.id}}:thread:${first.id}`,
      `{room:${room.id}}:threads`,
      `{room:${room.id}}:search:zanzibar`,
    ]) {
      expect(before).toContain(family);
    }

    const guestSocket = await socketOf(guest.http);
    const hidden = collect(guestSocket, 'hide.room');
    const deleted = await adminProcess(['delete-room', room.id]);
    expect(deleted.stderr).toContain(`deleted room ${room.id} (Doomed Planning): 2 members`);
    expect(deleted.status).toBe(0);
    await waitFor('the room to leave the list', () => hidden.length > 0, END_WITHIN_MS);
    expect(hidden[0]).toEqual({ id: room.id });

    const listed = await guest.http.get<{ id: string }[]>(`/rooms/${guest.user.id}`);
    expect(listed.body.map((r) => r.id)).not.toContain(room.id);
    expect((await owner.http.get(`/room/${room.id}/messages`)).status).toBe(404);
    const directory = await guest.http.get<{ rooms: { id: string }[] }>('/rooms?search=doomed');
    expect(directory.body.rooms).toEqual([]);
    expect((await search()).body.hits).toEqual([]);

    expect(await keysNaming(room.id)).toEqual([]);
    expect(await redis.client.sIsMember('public_rooms', room.id)).toBe(0);
    expect(await redis.client.exists([`file:${fileId}`, `{file:${fileId}}:chunks`])).toBe(0);
    expect(await redis.client.get('room_name:doomed planning')).toBeNull();
    for (const user of [owner.user, guest.user]) {
      expect(await redis.client.sIsMember(`user:${user.id}:rooms`, room.id)).toBe(0);
      expect(await redis.client.sIsMember(`user:${user.id}:muted`, room.id)).toBe(0);
    }

    const again = await admin(['delete-room', room.id]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`no room ${room.id}`);
  });

  it('refuses to delete General and private conversations', async () => {
    const general = await adminProcess(['delete-room', '0']);
    expect(general.status).toBe(1);
    expect(general.stderr).toContain('General is the room everyone is in; it cannot be deleted');
    const direct = await admin(['delete-room', '1:2']);
    expect(direct.status).toBe(1);
    expect(direct.stderr).toContain('only group rooms can be deleted');
  });

  it('exports a room as JSON lines, oldest first, page by page; stats counts', async () => {
    const { http } = await person('cli-exporter', 'pw-export-1');
    const socket = await socketOf(http);
    const room = (await http.post<{ id: string }>('/rooms', { name: 'Exported' })).body;
    const sent: string[] = [];
    for (let i = 0; i < 25; i++) {
      const ack = (await socket.emitWithAck('message', {
        roomId: room.id,
        message: `line ${i}`,
      })) as { ok: true; message: ChatMessage };
      sent.push(ack.message.id);
    }
    // Pages of 4 over 25 messages: 7 reads, the last one short.
    const exported = await admin(['export-room', room.id, '--page-size', '4']);
    expect(exported.status).toBe(0);
    const lines = exported.stdout.trimEnd().split('\n');
    const messages = lines.map((line) => JSON.parse(line) as ChatMessage);
    expect(messages.map((message) => message.id)).toEqual(sent);
    expect(messages[0]).toMatchObject({ roomId: room.id, message: 'line 0' });
    expect(exported.stderr).toContain(`exported 25 messages of room ${room.id}`);

    const none = await admin(['export-room', '999']);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('room 999 has no messages');

    const stats = await admin(['stats']);
    expect(stats.status).toBe(0);
    expect(stats.stdout).toMatch(/^users\t\d+$/m);
    expect(stats.stdout).toContain('live instances\t1\n');
  });
});
