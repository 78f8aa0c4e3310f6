/**
 * What another site's page can make a signed-in browser do: nothing that changes anything.
 * State-changing requests and Socket.IO handshakes from a foreign Origin are refused (a request
 * without Origin comes from a program and passes), bodies must be JSON, the Engine.IO 3 JSONP
 * transport is gone while the demo client's XHR long-polling stays, and every response carries
 * the security headers.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomSummary } from '../../src/protocol/models.js';
import { HASHED_ASSET_CACHE_CONTROL } from '../../src/server/kernel/http/static-files.js';
import { HttpClient, connectSocket } from '../support/clients.js';
import { type TestRedis, startTestRedis } from '../support/redis.js';
import { type InProcessServer, startInProcessServer } from '../support/server.js';

let redis: TestRedis;
let server: InProcessServer;
/** The same Redis, behind a trusted proxy that names the public address. */
let proxied: InProcessServer;
let joe: HttpClient;
let room: RoomSummary;

const EVIL = 'https://evil.example';

beforeAll(async () => {
  redis = await startTestRedis();
  [server, proxied] = await Promise.all([
    startInProcessServer(redis.url, { ALLOWED_ORIGINS: 'https://app.example.org' }),
    startInProcessServer(redis.url, { TRUST_PROXY: '127.0.0.1' }),
  ]);
  joe = new HttpClient(server.url);
  await joe.login('Joe');
  room = (await joe.post<RoomSummary>('/rooms', { name: 'Open plan' })).body;
});

afterAll(async () => {
  await Promise.all([server?.stop(), proxied?.stop()]);
  await redis?.stop();
});

/** Joe's join of a public room, with these headers and body. */
function join(headers: Record<string, string>, rawBody?: string, on = server) {
  const client = new HttpClient(on.url);
  client.cookie = joe.cookie;
  return client.request<{ code?: string; message?: string }>(
    'POST',
    `/room/${room.id}/join`,
    undefined,
    rawBody,
    headers,
  );
}

describe('state-changing requests', () => {
  it('refuses a body that is not JSON, as a cross-site form or text/plain fetch would send', async () => {
    const plain = await join({ 'content-type': 'text/plain' }, 'anything');
    expect(plain.status).toBe(415);
    expect(plain.body).toEqual({
      code: 'unsupported_media_type',
      message: 'body must be JSON (Content-Type: application/json)',
    });
    const form = await join({ 'content-type': 'application/x-www-form-urlencoded' }, 'a=1');
    expect(form.status).toBe(415);
    expect(form.body.code).toBe('unsupported_media_type');
    // What the web client and the demo's client send: JSON, or no body at all.
    expect((await join({ 'content-type': 'application/json' }, '{}')).status).toBe(200);
    expect((await join({})).status).toBe(200);
  });

  it('refuses a foreign Origin, and accepts its own, the listed ones and none', async () => {
    const foreign = await join({ origin: EVIL });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toEqual({
      code: 'forbidden',
      message: `cross-site request refused: pages from ${EVIL} may not use this chat`,
    });
    expect((await join({ origin: 'null' })).status).toBe(403);
    expect((await join({ origin: server.url })).status).toBe(200);
    expect((await join({ origin: 'https://app.example.org' })).status).toBe(200);
    expect((await join({})).status).toBe(200);
    // A sign-in is a write too: a foreign page cannot sign a browser in as someone else.
    const login = await new HttpClient(server.url).request('POST', '/login', undefined, '{}', {
      origin: EVIL,
      'content-type': 'application/json',
    });
    expect(login.status).toBe(403);
  });

  it('behind a trusted proxy, the own origin is the one the proxy names', async () => {
    const viaProxy = {
      'x-forwarded-host': 'chat.example.com',
      'x-forwarded-proto': 'https',
    };
    expect(
      (await join({ ...viaProxy, origin: 'https://chat.example.com' }, undefined, proxied)).status,
    ).toBe(200);
    expect(
      (await join({ ...viaProxy, origin: 'http://chat.example.com' }, undefined, proxied)).status,
    ).toBe(403);
    // Not from a trusted proxy, the forwarded names count for nothing.
    expect((await join({ ...viaProxy, origin: 'https://chat.example.com' })).status).toBe(403);
  });
});

describe('the Socket.IO handshake', () => {
  it('refuses a foreign Origin over WebSocket and long-polling, and accepts its own', async () => {
    for (const transports of [['websocket'], ['polling']]) {
      const refused = await connectSocket(server.url, joe.cookie, {
        transports,
        headers: { origin: EVIL },
      }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(Error);
      const accepted = await connectSocket(server.url, joe.cookie, {
        transports,
        headers: { origin: server.url },
      });
      expect(accepted.connected).toBe(true);
      accepted.close();
    }
  });

  it('offers no JSONP; the demo client’s XHR long-polling (Engine.IO 3) works', async () => {
    const poll = (query: string) =>
      fetch(`${server.url}/socket.io/?EIO=3&transport=polling&${query}`, {
        headers: { cookie: joe.cookie },
      });
    const jsonp = await poll('j=0');
    expect(jsonp.status).toBe(403);
    expect(await jsonp.text()).not.toContain('___eio');

    const xhr = await poll('t=seed');
    expect(xhr.status).toBe(200);
    const handshake = await xhr.text();
    // Engine.IO 3's payload: length, ':', then the open packet.
    expect(handshake).toMatch(/^\d+:0\{"sid":"[^"]+"/);
    const sid = /"sid":"([^"]+)"/.exec(handshake)?.[1];
    // The namespace opens: the session was accepted.
    const next = await poll(`sid=${sid}`);
    expect(next.status).toBe(200);
    expect(await next.text()).toContain('40');
  });
});

describe('caching of the web client', () => {
  it('keeps the hashed assets for good and revalidates the page that names them', async () => {
    const assets = readdirSync('dist/web/assets');
    expect(assets.length).toBeGreaterThan(1);
    for (const name of assets) {
      const response = await fetch(`${server.url}/assets/${name}`);
      expect(response.status, name).toBe(200);
      expect(response.headers.get('cache-control'), name).toBe(HASHED_ASSET_CACHE_CONTROL);
    }
    const page = await fetch(`${server.url}/`);
    expect(page.headers.get('cache-control')).toBe('public, max-age=0');
    // A name that is not (or no longer) there: not cached, so a later deploy can serve it.
    const missing = await fetch(`${server.url}/assets/index-gone.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).not.toBe(HASHED_ASSET_CACHE_CONTROL);
  });
});

describe('security headers', () => {
  const asset = readdirSync('dist/web/assets').find((name) => name.endsWith('.js'));

  it.each([
    ['the web client', '/'],
    ['an API route', '/me'],
    ['an error', '/no/such/route'],
    ['a refusal', '/users/online'],
    ['a static asset', `/assets/${asset}`],
    ['a Socket.IO long-poll', '/socket.io/?EIO=4&transport=polling'],
  ])('are on %s', async (_what, path) => {
    const response = await fetch(`${server.url}${path}`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });
});
