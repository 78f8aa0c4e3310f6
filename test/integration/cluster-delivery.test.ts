/**
 * Three server processes on one Redis keep the guarantees of one: every message reaches each
 * socket of its room's members exactly once, on whichever instance it is, and no other socket;
 * presence counts a user's connections on every instance; a client that was away catches up.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, RoomSummary, UserPresence } from '../../src/protocol/models.js';
import {
  type Person,
  type Tab,
  connectionsOf,
  messageIds,
  openTab,
  sent,
  settle,
  signIn,
  startInstances,
  closeAndSettle,
} from '../support/cluster.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import type { ServerProcess } from '../support/server.js';
import { waitFor } from '../support/wait.js';

let redis: TestRedis;
let servers: ServerProcess[];
const extraTabs: Tab[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  servers = await startInstances(redis.url, 3);
});

afterEach(() => closeAndSettle(redis, extraTabs));

afterAll(async () => {
  await Promise.all((servers ?? []).map((server) => server.stop()));
  await redis?.stop();
});

const server = (i: number) => servers[i] as ServerProcess;

/** The four demo users, each with tabs on two or three different instances. */
async function demoUsersWithTabs() {
  const layout: [string, number[]][] = [
    ['Pablo', [0, 1]],
    ['Joe', [1, 2]],
    ['Mary', [2, 0]],
    ['Alex', [0, 1, 2]],
  ];
  const people = new Map<string, Person>();
  const tabs: { owner: string; tab: Tab }[] = [];
  for (const [username, instances] of layout) {
    const person = await signIn(server(0).url, username);
    people.set(person.user.id, person);
    for (const i of instances) {
      const tab = await openTab(server(i), person, `${username}@${i}`);
      extraTabs.push(tab);
      tabs.push({ owner: person.user.id, tab });
    }
  }
  return { people, tabs };
}

const count = (ids: string[], id: string) => ids.filter((x) => x === id).length;

describe('delivery across instances', () => {
  it('gives each private message to exactly its two members, on every socket and instance, and to nobody else', async () => {
    const { tabs } = await demoUsersWithTabs();
    const tabOf = (userId: string, i: number) =>
      tabs.filter((t) => t.owner === userId)[i % 2]?.tab as Tab;

    // Every pair of demo users talks, each message sent from a different instance.
    const privateMessages: ChatMessage[] = [];
    const pairs = [
      ['1', '2'],
      ['1', '3'],
      ['1', '4'],
      ['2', '3'],
      ['2', '4'],
      ['3', '4'],
    ] as const;
    for (const [i, [low, high]] of pairs.entries()) {
      privateMessages.push(await sent(tabOf(low, i), `${low}:${high}`, `from ${low} to ${high}`));
      privateMessages.push(await sent(tabOf(high, i + 1), `${low}:${high}`, `${high} answers`));
    }
    const general = await sent(tabOf('3', 0), '0', 'hello everyone');
    await settle(
      tabs.map((t) => t.tab),
      tabOf('4', 1),
    );

    for (const { owner, tab } of tabs) {
      const ids = messageIds(tab);
      for (const message of privateMessages) {
        const member = message.roomId.split(':').includes(owner);
        expect(count(ids, message.id), `${tab.name} / ${message.roomId}`).toBe(member ? 1 : 0);
      }
      expect(count(ids, general.id), tab.name).toBe(1);
      // Nothing but what the user may see ever arrived.
      for (const message of tab.received<ChatMessage>('message')) {
        expect(message.roomId === '0' || message.roomId.split(':').includes(owner)).toBe(true);
      }
    }
  });

  it('keeps exactly-once and per-sender order under concurrent sends from every instance', async () => {
    const { tabs } = await demoUsersWithTabs();
    const senders = [0, 2, 4].map((i) => tabs[i]?.tab as Tab);
    const perSender = 15;
    const sentBy = await Promise.all(
      senders.map(async (tab, s) => {
        const mine: ChatMessage[] = [];
        for (let n = 0; n < perSender; n++) mine.push(await sent(tab, '0', `s${s} n${n}`));
        return mine;
      }),
    );
    await settle(
      tabs.map((t) => t.tab),
      senders[0] as Tab,
    );
    for (const { tab } of tabs) {
      const ids = messageIds(tab);
      for (const mine of sentBy) {
        const positions = mine.map((message) => ids.indexOf(message.id));
        for (const message of mine) expect(count(ids, message.id), tab.name).toBe(1);
        expect(positions, `${tab.name} sees one sender's messages in order`).toEqual(
          [...positions].sort((a, b) => a - b),
        );
      }
    }
  });

  it('shows a new private room to both members on every instance, and to nobody else', async () => {
    const owner = await signIn(server(1).url, `Owner${Date.now()}`, 'pw-owner');
    const guest = await signIn(server(2).url, `Guest${Date.now()}`, 'pw-guest');
    const ownerTabs = [await openTab(server(0), owner), await openTab(server(1), owner)];
    const guestTabs = [await openTab(server(2), guest), await openTab(server(0), guest)];
    const outsider = await openTab(server(1), await signIn(server(1).url, 'Joe'));
    extraTabs.push(...ownerTabs, ...guestTabs, outsider);

    const low = Math.min(Number(owner.user.id), Number(guest.user.id));
    const roomId = `${low}:${Math.max(Number(owner.user.id), Number(guest.user.id))}`;
    const first = await sent(ownerTabs[1] as Tab, roomId, 'first words');
    await settle([...ownerTabs, ...guestTabs, outsider], outsider);

    for (const tab of [...ownerTabs, ...guestTabs]) {
      expect(tab.received<RoomSummary>('show.room').filter((r) => r.id === roomId)).toHaveLength(1);
      expect(count(messageIds(tab), first.id)).toBe(1);
    }
    expect(outsider.received('show.room')).toEqual([]);
    expect(messageIds(outsider)).not.toContain(first.id);
  });
});

describe('presence across instances', () => {
  it('stays online while a tab is open on any instance, and announces only the first and last connection', async () => {
    const watchers = await Promise.all(
      [0, 1, 2].map(async (i) => openTab(server(i), await signIn(server(i).url, 'Pablo'))),
    );
    extraTabs.push(...watchers);
    const nina = await signIn(server(0).url, `Nina${Date.now()}`, 'pw-nina');
    const id = nina.user.id;
    const events = (tab: Tab, event: string) =>
      tab.received<UserPresence>(event).filter((user) => user.id === id);

    // Two tabs opened at the same moment on two instances: one user.connected.
    const [tabA, tabB] = await Promise.all([openTab(server(1), nina), openTab(server(2), nina)]);
    extraTabs.push(tabA as Tab, tabB as Tab);
    await waitFor('two connections', async () => (await connectionsOf(redis, id)).length === 2);
    for (const watcher of watchers) {
      await waitFor('user.connected', () => events(watcher, 'user.connected').length > 0);
    }

    // Closing one tab: still online everywhere, nothing announced.
    (tabA as Tab).close();
    await waitFor('one connection left', async () => (await connectionsOf(redis, id)).length === 1);
    expect(await redis.client.sIsMember('online_users', id)).toBe(1);
    for (const i of [0, 1, 2]) {
      const online = await nina.http.get<Record<string, UserPresence>>('/users/online');
      expect(online.body[id], `instance ${i}`).toEqual({
        id,
        username: nina.user.username,
        online: true,
      });
    }
    // The instance that would have announced it sends a marker after: had it, it would be there.
    const viaInstance1 = watchers[1] as Tab;
    await settle(watchers, viaInstance1);
    for (const watcher of watchers) expect(events(watcher, 'user.disconnected')).toEqual([]);

    // Closing the last one: offline, announced once to every instance.
    (tabB as Tab).close();
    for (const watcher of watchers) {
      await waitFor('user.disconnected', () => events(watcher, 'user.disconnected').length > 0);
    }
    await settle(watchers, watchers[2] as Tab);
    expect(await redis.client.sIsMember('online_users', id)).toBe(0);
    for (const watcher of watchers) {
      expect(events(watcher, 'user.connected')).toEqual([
        { id, username: nina.user.username, online: true },
      ]);
      expect(events(watcher, 'user.disconnected')).toEqual([
        { id, username: nina.user.username, online: false },
      ]);
    }
  });
});

describe('catching up after a disconnection', () => {
  it('fetches every message missed while away, once and in order, from another instance', async () => {
    const joe = await signIn(server(0).url, 'Joe');
    const mary = await signIn(server(1).url, 'Mary');
    const maryTab = await openTab(server(1), mary);
    const joeTab = await openTab(server(0), joe);
    extraTabs.push(maryTab, joeTab);

    const seen = await sent(maryTab, '2:3', 'before the blip');
    await waitFor('Joe to have it', () => messageIds(joeTab).includes(seen.id));
    const seenGeneral = await sent(maryTab, '0', 'general before the blip');
    await waitFor('Joe to have it', () => messageIds(joeTab).includes(seenGeneral.id));
    joeTab.close();

    const missedPrivate: ChatMessage[] = [];
    const missedGeneral: ChatMessage[] = [];
    for (let n = 0; n < 12; n++) {
      missedPrivate.push(await sent(maryTab, '2:3', `while away ${n}`));
      missedGeneral.push(await sent(maryTab, '0', `general while away ${n}`));
    }

    // Back on another instance: live from now on, the gap from the API.
    const back = await openTab(server(2), joe);
    extraTabs.push(back);
    const live = await sent(maryTab, '2:3', 'after coming back');
    await waitFor('the live message', () => messageIds(back).includes(live.id));

    const http = joe.http;
    const gap = await http.get<ChatMessage[]>(`/room/2:3/messages?after=${seen.id}&size=100`);
    expect(gap.status).toBe(200);
    expect(gap.body.map((m) => m.id)).toEqual([...missedPrivate, live].map((m) => m.id));
    const generalGap = await http.get<ChatMessage[]>(
      `/room/0/messages?after=${seenGeneral.id}&size=100`,
    );
    const generalIds = generalGap.body.map((m) => m.id);
    expect(generalIds.filter((id) => missedGeneral.some((m) => m.id === id))).toEqual(
      missedGeneral.map((m) => m.id),
    );
    expect(new Set(generalIds).size).toBe(generalIds.length);
  });
});
