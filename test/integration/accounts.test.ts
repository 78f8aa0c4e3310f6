/**
 * Accounts against a real server and Redis: who the client is behind a proxy, sign-in limits that
 * cannot lock the owner out, registrations limited per address, and names that are one name
 * ignoring case — for sign-in, registration and mentions, with older data kept working.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, SessionUser } from '../../src/protocol/models.js';
import { type ChatClientSocket, HttpClient, connectSocket } from '../support/clients.js';
import { type TestRedis, startTestRedis } from '../support/redis.js';
import { type InProcessServer, startInProcessServer } from '../support/server.js';

let redis: TestRedis;
const servers: InProcessServer[] = [];
const sockets: ChatClientSocket[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await Promise.all(servers.splice(0).map((server) => server.stop()));
  await redis.flush();
});

afterAll(async () => {
  await redis?.stop();
});

async function server(env: Record<string, string> = {}) {
  const started = await startInProcessServer(redis.url, env);
  servers.push(started);
  return started;
}

/** A sign-in through a proxy that says the client is `forwardedFor`. */
function signInVia(url: string, forwardedFor: string, username: string, password: string) {
  return new HttpClient(url).request<SessionUser & { code?: string; message?: string }>(
    'POST',
    '/login',
    { username, password },
    undefined,
    { 'x-forwarded-for': forwardedFor },
  );
}

describe('the client address behind TRUST_PROXY', () => {
  it('with one trusted hop, a forged leftmost X-Forwarded-For does not change the address', async () => {
    const { url } = await server({ TRUST_PROXY: '1', LOGIN_FAILURES_PER_IP: '3' });
    // The proxy (us, on loopback) appends the address it saw; the client forges what precedes.
    for (let i = 0; i < 3; i++) {
      const failed = await signInVia(url, `10.9.9.${i}, 198.51.100.7`, 'Joe', `guess-${i}`);
      expect(failed.status).toBe(401);
    }
    const blocked = await signInVia(url, '10.9.9.99, 198.51.100.7', 'Mary', 'password123');
    expect(blocked.status).toBe(429);
    expect(blocked.body.message).toMatch(/from this address/);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The address the proxy saw is what counts: another one signs in.
    expect((await signInVia(url, '10.9.9.99, 198.51.100.8', 'Mary', 'password123')).status).toBe(
      200,
    );
  });

  it('with no trusted proxy, X-Forwarded-For is ignored', async () => {
    const { url } = await server({ LOGIN_FAILURES_PER_IP: '2' });
    await signInVia(url, '198.51.100.1', 'Joe', 'guess-1');
    await signInVia(url, '198.51.100.2', 'Joe', 'guess-2');
    expect((await signInVia(url, '198.51.100.3', 'Mary', 'password123')).status).toBe(429);
  });

  it('trusts only the listed proxy addresses', async () => {
    const { url } = await server({ TRUST_PROXY: '10.0.0.0/8', LOGIN_FAILURES_PER_IP: '2' });
    // The peer (127.0.0.1) is not a listed proxy: the header says nothing.
    await signInVia(url, '198.51.100.1', 'Joe', 'guess-1');
    await signInVia(url, '198.51.100.2', 'Joe', 'guess-2');
    expect((await signInVia(url, '198.51.100.3', 'Mary', 'password123')).status).toBe(429);
  });
});

describe('failed sign-ins', () => {
  it('an attacker’s address exhausts its budget for Joe; Joe signs in from another address', async () => {
    const { url } = await server({ TRUST_PROXY: '1' });
    for (let i = 0; i < 10; i++) {
      expect((await signInVia(url, '203.0.113.9', 'Joe', `guess-${i}`)).status).toBe(401);
    }
    const owner = await signInVia(url, '198.51.100.7', 'Joe', 'password123');
    expect(owner.status).toBe(200);
    const attacker = await signInVia(url, '203.0.113.9', 'Joe', 'password123');
    expect(attacker.status).toBe(429);
    expect(attacker.body.message).toMatch(/for this username from this address/);
    expect(owner.body.username).toBe('Joe');
  });
});

describe('registrations per address', () => {
  it('refuses more than REGISTRATIONS_PER_IP_PER_HOUR from one address, with Retry-After', async () => {
    const { url } = await server({ TRUST_PROXY: '1', REGISTRATIONS_PER_IP_PER_HOUR: '2' });
    expect((await signInVia(url, '198.51.100.7', 'Newbie1', 'pw-1')).status).toBe(201);
    expect((await signInVia(url, '198.51.100.7', 'Newbie2', 'pw-2')).status).toBe(201);
    const refused = await signInVia(url, '198.51.100.7', 'Newbie3', 'pw-3');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'rate_limited' });
    expect(refused.body.message).toMatch(/too many accounts registered from this address/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3000);
    // Signing in is not registering; another address may register.
    expect((await signInVia(url, '198.51.100.7', 'Newbie1', 'pw-1')).status).toBe(200);
    expect((await signInVia(url, '198.51.100.8', 'Newbie3', 'pw-3')).status).toBe(201);
  });

  it('0 turns the limit off', async () => {
    const { url } = await server({ REGISTRATIONS_PER_IP_PER_HOUR: '0' });
    for (let i = 0; i < 31; i++) {
      expect((await signInVia(url, '198.51.100.7', `Many${i}`, 'pw')).status).toBe(201);
    }
  });
});

describe('names ignoring case', () => {
  it('"pablo" is Pablo: it signs in as him or is refused, and is never a second user', async () => {
    const { url } = await server();
    const asPablo = await signInVia(url, '198.51.100.7', 'pablo', 'password123');
    expect(asPablo.status).toBe(200);
    expect(asPablo.body).toEqual({ id: '1', username: 'Pablo', admin: false });
    const refused = await signInVia(url, '198.51.100.7', 'PABLO', 'another-password');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/"Pablo" is taken/),
    });
    const ids = await redis.client.keys('username:*');
    expect(ids.filter((key) => key.toLowerCase() === 'username:pablo')).toEqual(['username:Pablo']);
  });

  it('of two registrations racing for "Ann" and "ann", one wins and the other is a conflict', async () => {
    const [one, two] = await Promise.all([server(), server()]);
    for (let round = 0; round < 5; round++) {
      const name = `Ann${round}x`;
      const answers = await Promise.all([
        signInVia(one.url, '198.51.100.7', name, 'first-password'),
        signInVia(two.url, '198.51.100.8', name.toLowerCase(), 'second-password'),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
      const names = await redis.client.keys('username:*');
      expect(
        names.filter((key) => key.toLowerCase() === `username:${name.toLowerCase()}`),
      ).toHaveLength(1);
    }
  });

  it('keeps older users whose names differ only by case, and a mention names exactly one of them', async () => {
    // Written the seed's way before this server starts: "mary" besides the demo's Mary.
    const seedServer = await server();
    await seedServer.stop();
    servers.splice(0);
    const id = String(await redis.client.incr('total_users'));
    const mary = await redis.client.hGet('user:3', 'password');
    await redis.client.hSet(`user:${id}`, { username: 'mary', password: mary ?? '' });
    await redis.client.set('username:mary', `user:${id}`);
    await redis.client.sAdd(`user:${id}:rooms`, '0');

    const { url } = await server();
    const upper = new HttpClient(url);
    const lower = new HttpClient(url);
    expect((await upper.login('Mary')).id).toBe('3');
    expect((await lower.login('mary')).id).toBe(id);

    const socket = await connectSocket(url, upper.cookie);
    sockets.push(socket);
    const send = async (text: string) => {
      const ack = await socket
        .timeout(5_000)
        .emitWithAck('message', { roomId: '0', message: text });
      if (!ack.ok) throw new Error(ack.error.message);
      return (ack as { message: ChatMessage }).message;
    };
    expect((await send('hi @Mary')).mentions).toEqual(['3']);
    expect((await send('hi @mary')).mentions).toEqual([id]);
    // Any other spelling names the older of the two; "@pablo" names Pablo.
    expect((await send('hi @MARY and @pablo')).mentions?.sort()).toEqual(['1', '3']);
  });
});
