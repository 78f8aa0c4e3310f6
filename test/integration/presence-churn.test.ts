/**
 * Presence churn on two server processes: a reload that lands on the other instance within the
 * offline grace announces nothing, and a user cycling connections cannot flood everyone else —
 * neither the seed's `user.connected` / `user.disconnected` clients nor `user.presence` batches.
 */
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UserPresence } from '../../src/protocol/models.js';
import type { ChatClientSocket } from '../support/clients.js';
import {
  type Person,
  type Tab,
  closeAndSettle,
  openTab,
  recordTab,
  signIn,
  startInstances,
} from '../support/cluster.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import type { ServerProcess } from '../support/server.js';
import { waitFor } from '../support/wait.js';

const GRACE_MS = 3_000;
const BATCH_MS = 200;

let redis: TestRedis;
let servers: ServerProcess[];
const tabs: Tab[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  servers = await startInstances(redis.url, 2, {
    PRESENCE_OFFLINE_GRACE_MS: String(GRACE_MS),
    PRESENCE_BATCH_MS: String(BATCH_MS),
  });
});

afterEach(() => closeAndSettle(redis, tabs.splice(0)));

afterAll(async () => {
  await Promise.all((servers ?? []).map((server) => server.stop()));
  await redis?.stop();
});

const server = (i: number) => servers[i] as ServerProcess;

/** A tab that asked for `user.presence` batches instead of one event per change. */
function openBatchedTab(baseUrl: string, person: Person, name: string): Promise<Tab> {
  const socket: ChatClientSocket = io(baseUrl, {
    extraHeaders: { cookie: person.http.cookie },
    auth: { presenceBatch: true },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const tab = recordTab(name, socket);
  return new Promise((done, fail) => {
    socket.once('connect', () => done(tab));
    socket.once('connect_error', fail);
  });
}

/** Two watchers of the old kind (one per instance) and one batch-receiving watcher. */
async function watchers(): Promise<{ each: Tab[]; batched: Tab }> {
  const pablo = await signIn(server(0).url, 'Pablo');
  const each = [
    await openTab(server(0), pablo, 'Pablo@0'),
    await openTab(server(1), pablo, 'Pablo@1'),
  ];
  const batched = await openBatchedTab(server(1).url, pablo, 'Pablo@1 batched');
  tabs.push(...each, batched);
  return { each, batched };
}

/** What a watcher heard about one user, in order, whatever the form. */
function heardAbout(tab: Tab, userId: string): string[] {
  return tab.events.flatMap(({ event, payload }) => {
    const users =
      event === 'user.presence'
        ? (payload as UserPresence[])
        : event === 'user.connected' || event === 'user.disconnected'
          ? [payload as UserPresence]
          : [];
    return users.filter((user) => user.id === userId).map((u) => (u.online ? 'on' : 'off'));
  });
}

async function hearOffline(all: Tab[], userId: string) {
  for (const tab of all) {
    await waitFor(`${tab.name} to hear the user go offline`, () =>
      heardAbout(tab, userId).includes('off'),
    );
  }
}

describe('presence churn', () => {
  it('announces nothing for a reload that lands on the other instance within the grace', async () => {
    const { each, batched } = await watchers();
    const all = [...each, batched];
    const nina = await signIn(server(0).url, `Nina${Date.now()}`, 'pw-nina');
    const id = nina.user.id;

    const before = await openTab(server(0), nina, 'Nina@0');
    for (const tab of all) {
      await waitFor(`${tab.name} to hear Nina online`, () => heardAbout(tab, id).includes('on'));
    }
    // The reload: the page's socket closes, the new page connects through the balancer elsewhere.
    before.close();
    const after = await openTab(server(1), nina, 'Nina@1');
    tabs.push(after);
    expect(await redis.client.sIsMember('online_users', id)).toBe(1);
    // Her grace ran out while she was back: settled without a word.
    await waitFor(
      'the grace to be settled',
      async () => (await redis.client.zScore('offline_pending', id)) === null,
      GRACE_MS * 3,
    );
    expect(await redis.client.sIsMember('online_users', id)).toBe(1);

    // Leaving for good is announced, once: anything the reload caused would have come before.
    after.close();
    await hearOffline(all, id);
    expect(await redis.client.sIsMember('online_users', id)).toBe(0);
    for (const tab of all) expect(heardAbout(tab, id), tab.name).toEqual(['on', 'off']);
  });

  it('lets a user cycling connections 50 times cause one online and one offline event', async () => {
    const { each, batched } = await watchers();
    const all = [...each, batched];
    const alex = await signIn(server(0).url, `Alex${Date.now()}`, 'pw-alex');
    const id = alex.user.id;

    const started = Date.now();
    for (let cycle = 0; cycle < 50; cycle++) {
      const tab = await openTab(server(cycle % 2), alex, `Alex@${cycle % 2}`);
      tab.close();
    }
    // The bound: one online/offline pair per grace period the cycling lasted (one in all when
    // the machine is not too busy to cycle 50 times within a grace period), not 50.
    const pairs = Math.floor((Date.now() - started) / GRACE_MS) + 1;
    await hearOffline(all, id);
    for (const tab of all) {
      const heard = heardAbout(tab, id);
      expect(heard.length, tab.name).toBeLessThanOrEqual(2 * pairs);
      expect(heard.join(' '), tab.name).toMatch(/^(on off ?)+$/);
    }
    // One batch per window, not one frame per change.
    const batchesWithAlex = batched
      .received<UserPresence[]>('user.presence')
      .filter((users) => users.some((user) => user.id === id));
    expect(batchesWithAlex.length).toBeLessThanOrEqual(2 * pairs);
  });
});
