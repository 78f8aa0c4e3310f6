/**
 * GET /metrics on two real instances on one real Redis: its counters move as real clients sign
 * in and chat — messages sent and delivered by room kind, relays between the instances, HTTP
 * requests by route pattern, Redis round trips, rate-limit refusals — and the token guards it.
 * The Grafana dashboard in docs/ asks only for metrics that exist.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Tab,
  closeAndSettle,
  openTab,
  sent,
  signIn,
  startInstances,
} from '../support/cluster.js';
import { type Sample, declaredMetrics, scrape, sumOf } from '../support/metrics.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import type { ServerProcess } from '../support/server.js';
import { waitFor } from '../support/wait.js';

const TOKEN = 'metrics-token-for-the-tests';

let redis: TestRedis;
let servers: ServerProcess[];
const tabs: Tab[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  servers = await startInstances(redis.url, 2, { METRICS_TOKEN: TOKEN });
});

afterAll(async () => {
  await closeAndSettle(redis, tabs).catch(() => undefined);
  await Promise.all((servers ?? []).map((server) => server.stop()));
  await redis?.stop();
});

const server = (i: number) => servers[i] as ServerProcess;
const metricsOf = (i: number) => scrape(server(i).url, TOKEN);

describe('GET /metrics', () => {
  it('answers only with the bearer token when METRICS_TOKEN is set', async () => {
    const url = `${server(0).url}/metrics`;
    const bare = await fetch(url);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await bare.json()).toEqual({
      code: 'unauthenticated',
      message: 'GET /metrics needs the header Authorization: Bearer <METRICS_TOKEN>',
    });
    const wrong = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const right = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.status).toBe(200);
    expect(right.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await right.text();
    // The process and event-loop metrics come with the project's own.
    for (const name of [
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_seconds',
      'chat_event_loop_lag_seconds',
      'chat_sockets_connected',
    ]) {
      expect(declaredMetrics(text)).toContain(name);
    }
  });

  it('counts messages sent and delivered by room kind, relays, HTTP routes and Redis round trips', async () => {
    const pablo = await signIn(server(0).url, 'Pablo');
    const joe = await signIn(server(1).url, 'Joe');
    const pabloTab = await openTab(server(0), pablo, 'Pablo@0');
    const joeTab = await openTab(server(1), joe, 'Joe@1');
    tabs.push(pabloTab, joeTab);
    await waitFor('both sockets counted', async () => {
      const [a, b] = await Promise.all([metricsOf(0), metricsOf(1)]);
      return sumOf(a, 'chat_sockets_connected') === 1 && sumOf(b, 'chat_sockets_connected') === 1;
    });
    // (A private room's very first message travels with its show.room, behind the adapter; the
    // demo's rooms already hold messages, so these take the fast path.)
    const privateRoom = `${pablo.user.id}:${joe.user.id}`;
    const warmUp = await sent(pabloTab, privateRoom, 'before counting');
    await waitFor('Joe to receive the first message', () =>
      joeTab.received<{ id: string }>('message').some((m) => m.id === warmUp.id),
    );

    const before = await Promise.all([metricsOf(0), metricsOf(1)]);
    await sent(pabloTab, '0', 'hello General');
    await sent(pabloTab, '0', 'hello again');
    await sent(pabloTab, privateRoom, 'a private one');
    const page = await joe.http.get(`/room/0/messages?offset=0&size=5`);
    expect(page.status).toBe(200);

    const [after0, after1] = await waitFor('Joe to receive the messages', async () => {
      const scraped = await Promise.all([metricsOf(0), metricsOf(1)]);
      const delivered = (samples: Sample[], kind: string) =>
        sumOf(samples, 'chat_messages_delivered_total', { kind });
      return delivered(scraped[1], 'general') - delivered(before[1], 'general') >= 2 &&
        delivered(scraped[1], 'private') - delivered(before[1], 'private') >= 1
        ? scraped
        : null;
    });
    const moved =
      (afterSamples: Sample[], beforeSamples: Sample[]) =>
      (name: string, labels: Record<string, string> = {}) =>
        sumOf(afterSamples, name, labels) - sumOf(beforeSamples, name, labels);
    const on0 = moved(after0, before[0] as Sample[]);
    const on1 = moved(after1, before[1] as Sample[]);

    // Stored on Pablo's instance, by kind; nothing stored on Joe's.
    expect(on0('chat_messages_sent_total', { kind: 'general' })).toBe(2);
    expect(on0('chat_messages_sent_total', { kind: 'private' })).toBe(1);
    expect(on1('chat_messages_sent_total')).toBe(0);
    // Each instance handed each message to its one socket.
    expect(on0('chat_messages_delivered_total', { kind: 'general' })).toBe(2);
    expect(on0('chat_messages_delivered_total', { kind: 'private' })).toBe(1);
    expect(on1('chat_messages_delivered_total', { kind: 'general' })).toBe(2);
    expect(on1('chat_messages_delivered_total', { kind: 'private' })).toBe(1);
    // The three messages crossed over in relays: sent by one instance, received by the other.
    expect(on0('chat_relay_messages_total', { direction: 'sent' })).toBe(3);
    expect(on1('chat_relay_messages_total', { direction: 'received' })).toBe(3);
    expect(on0('chat_relay_batches_total', { direction: 'sent' })).toBeGreaterThanOrEqual(1);
    expect(on0('chat_relay_batches_total', { direction: 'sent' })).toBeLessThanOrEqual(3);
    // The history read, under its route pattern rather than its URL.
    expect(
      on1('chat_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/room/:id/messages',
        status: '200',
      }),
    ).toBe(1);
    expect(
      after1.some((s) => s.labels.route?.includes('?') || s.labels.route === '/room/0/messages'),
    ).toBe(false);
    // Storing three messages took Redis round trips, and none failed.
    expect(on0('chat_redis_command_duration_seconds_count')).toBeGreaterThanOrEqual(6);
    expect(on0('chat_redis_command_errors_total')).toBe(0);
  });

  it('counts refusals by rate limit, by the limit that refused', async () => {
    const mary = await signIn(server(0).url, 'Mary');
    const tab = await openTab(server(0), mary, 'Mary@0');
    tabs.push(tab);
    const before = await metricsOf(0);
    const typing = () =>
      tab.socket.timeout(5000).emitWithAck('typing', { roomId: '0', typing: true });
    await typing();
    const refused = (await typing()) as { ok: boolean; error?: { code: string } };
    expect(refused).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    const wrongPassword = await fetch(`${server(0).url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'Mary', password: 'wrong' }),
    });
    expect(wrongPassword.status).toBe(401); // a failure, not yet a refusal by the limit
    const after = await metricsOf(0);
    expect(
      sumOf(after, 'chat_rate_limited_total', { kind: 'typing' }) -
        sumOf(before, 'chat_rate_limited_total', { kind: 'typing' }),
    ).toBe(1);
    expect(
      sumOf(after, 'chat_http_request_duration_seconds_count', {
        route: '/login',
        status: '401',
      }),
    ).toBeGreaterThanOrEqual(1);
  });
});

describe('the Grafana dashboard', () => {
  it('is dashboard JSON whose every query names metrics that /metrics declares', async () => {
    const dashboard = JSON.parse(readFileSync('docs/grafana-dashboard.json', 'utf8')) as {
      title: string;
      panels: { title: string; targets?: { expr: string }[] }[];
    };
    expect(dashboard.title).toBeTruthy();
    const response = await fetch(`${server(0).url}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const declared = declaredMetrics(await response.text());
    const exprs = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((t) => t.expr));
    expect(exprs.length).toBeGreaterThanOrEqual(8);
    const referenced = new Set(
      exprs.flatMap((expr) => [...expr.matchAll(/\b((?:chat|process|nodejs)_[a-z0-9_]+)/g)]),
    );
    const missing = [...referenced]
      .map((match) => match[1] ?? '')
      .map((name) => name.replace(/_(bucket|count|sum)$/, ''))
      .filter((name) => !declared.has(name));
    expect(missing).toEqual([]);
    // Every metric of this project is on the dashboard.
    const ours = [...declared].filter((name) => name.startsWith('chat_'));
    const shown = [...referenced].map((m) => (m[1] ?? '').replace(/_(bucket|count|sum)$/, ''));
    expect(ours.filter((name) => !shown.includes(name))).toEqual([]);
  });
});
