/**
 * The chat on a real Redis Cluster (3 masters + 3 replicas, started once for this file), with
 * REDIS_CLUSTER_NODES pointing two server processes at it: a representative part of the
 * integration suite (any command across hash slots would fail here with CROSSSLOT), then a
 * master killed with SIGKILL under a steady send load.
 */
import { PassThrough, Readable } from 'node:stream';
import { createCluster } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RoomSummary, UserPresence } from '../../src/protocol/models.js';
import { type RedisClusterDeployment, startRedisCluster } from '../../scripts/launcher/index.js';
import { runAdmin } from '../../src/server/admin/main.js';
import {
  CLUSTER_ENV,
  type MessageAck,
  type Person,
  type Tab,
  countReconnections,
  fetchAllAfter,
  messageIds,
  openReconnectingTab,
  openTab,
  send,
  sent,
  settle,
  signIn,
} from '../support/cluster.js';
import { type ServerProcess, startServerProcesses } from '../support/server.js';
import { waitFor } from '../support/wait.js';

let cluster: RedisClusterDeployment;
let servers: ServerProcess[];
/** A plain cluster client, to look at what the servers wrote. */
let inspect: ReturnType<typeof createCluster>;
const tabs: Tab[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster();
  // Both instances start together on the empty cluster: the demo data must be written once.
  servers = await startServerProcesses(2, cluster, {
    ...CLUSTER_ENV,
    LOGIN_FAILURES_PER_IP_AND_USERNAME: '3',
  });
  inspect = createCluster({ rootNodes: cluster.urls.map((url) => ({ url })) });
  inspect.on('error', () => undefined); // the failover test kills a node
  await inspect.connect();
}, 120_000);

afterEach(() => {
  for (const tab of tabs.splice(0)) tab.close();
});

afterAll(async () => {
  inspect?.destroy();
  await Promise.all((servers ?? []).map((server) => server.stop()));
  await cluster?.stop();
});

const server = (i: number) => servers[i] as ServerProcess;
const count = (ids: string[], id: string) => ids.filter((x) => x === id).length;
const privateRoom = (a: Person, b: Person) =>
  [Number(a.user.id), Number(b.user.id)].sort((x, y) => x - y).join(':');

describe('on a Redis Cluster', () => {
  it('writes the demo data once though both instances started together', async () => {
    expect(await inspect.get('total_users')).toBe('4');
    expect(await inspect.zCard('room:0')).toBeGreaterThan(0);
    expect(await inspect.exists('demo_data:lock')).toBe(0);
    const pablo = await signIn(server(1).url, 'Pablo');
    expect(pablo.user.id).toBe('1');
  });

  it('delivers private and group messages to their members on both instances, and to nobody else', async () => {
    const [pablo, joe, mary] = await Promise.all(
      ['Pablo', 'Joe', 'Mary'].map((name, i) => signIn(server(i % 2).url, name)),
    );
    const people = [pablo, joe, mary] as Person[];
    const layout = people.flatMap((person) => [0, 1].map((i) => ({ person, i })));
    const open = await Promise.all(layout.map(({ person, i }) => openTab(server(i), person)));
    tabs.push(...open);

    const toJoe = await sent(open[0] as Tab, privateRoom(people[0]!, people[1]!), 'psst Joe');
    const created = await people[2]!.http.post<{ id: string }>('/rooms', {
      name: `cluster ${Date.now()}`,
    });
    expect(created.status).toBe(201);
    const roomId = created.body.id;
    expect((await people[0]!.http.post(`/room/${roomId}/join`)).status).toBe(200);
    const inGroup = await sent(open[4] as Tab, roomId, 'hello group');
    await settle(open, open[3] as Tab);

    for (const [n, tab] of open.entries()) {
      const ids = messageIds(tab);
      const owner = layout[n]!.person.user.username;
      expect(count(ids, toJoe.id), `${tab.name} / private`).toBe(owner === 'Mary' ? 0 : 1);
      expect(count(ids, inGroup.id), `${tab.name} / group`).toBe(owner === 'Joe' ? 0 : 1);
    }
    expect(await inspect.sIsMember(`room:${roomId}:members`, people[0]!.user.id)).toBe(1);

    // Pablo's room list reads rooms of many hash slots: each room's name, newest message and
    // visibility, and the names of the private room's members.
    const listed = await people[0]!.http.get<RoomSummary[]>(`/rooms/${people[0]!.user.id}`);
    const byId = new Map(listed.body.map((room) => [room.id, room]));
    expect(byId.get(toJoe.roomId)).toMatchObject({
      kind: 'direct',
      names: expect.arrayContaining(['Pablo', 'Joe']),
    });
    expect(byId.get(toJoe.roomId)?.lastMessage?.id).toBe(toJoe.id);
    expect(byId.get(roomId)).toMatchObject({ kind: 'group', visibility: 'public', unread: 1 });
    expect(byId.get(roomId)?.lastMessage?.id).toBe(inGroup.id);
  });

  it('counts presence across instances and lets a returning client catch up', async () => {
    const watcher = await openTab(server(0), await signIn(server(0).url, 'Alex'));
    tabs.push(watcher);
    const nina = await signIn(server(1).url, `Nina${Date.now()}`, 'pw-nina');
    const id = nina.user.id;
    const presence = (event: string) =>
      watcher.received<UserPresence>(event).filter((user) => user.id === id);

    const ninaTab = await openTab(server(1), nina);
    await waitFor('user.connected on the other instance', () => presence('user.connected')[0]);
    expect(await inspect.sIsMember('online_users', id)).toBe(1);
    const seen = await sent(ninaTab, '0', 'before leaving');
    ninaTab.close();
    await waitFor('user.disconnected', () => presence('user.disconnected')[0]);
    expect(await inspect.zCard(`user:${id}:connections`)).toBe(0);

    const missed = [await sent(watcher, '0', 'while away 1'), await sent(watcher, '0', 'away 2')];
    const gap = await fetchAllAfter(nina.http, '0', seen.id);
    expect(gap.map((message) => message.id)).toEqual(missed.map((message) => message.id));
  });

  it('counts rate limits in the cluster, for every instance', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const login = await fetch(`${server(attempt % 2).url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'Mary', password: 'not her password' }),
      });
      statuses.push(login.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe('deleting a room on a Redis Cluster', () => {
  it('leaves no key naming it on any master, and its member’s tab on the other instance drops it', async () => {
    const owner = await signIn(server(0).url, 'cluster-room-owner');
    const room = (await owner.http.post<RoomSummary>('/rooms', { name: 'Cluster Doomed' })).body;
    const ownerTab = await openTab(server(1), owner);
    tabs.push(ownerTab);
    const first = await sent(ownerTab, room.id, 'a clustered zanzibar');
    const reacted = (await ownerTab.socket.emitWithAck('reaction.add', {
      roomId: room.id,
      messageId: first.id,
      emoji: '👍',
    })) as { ok: boolean };
    expect(reacted.ok).toBe(true);
    const keysNaming = async () => {
      const naming = new RegExp(`(^|\\{)room:${room.id}($|:|\\})`);
      const found: string[] = [];
      for (const master of inspect.masters) {
        const node = await inspect.nodeClient(master);
        for await (const keys of node.scanIterator({ MATCH: '*room:*', COUNT: 1000 })) {
          found.push(...keys.filter((key) => naming.test(key)));
        }
      }
      return found;
    };
    await waitFor('the search entry', async () =>
      (await keysNaming()).includes(`{room:${room.id}}:search:zanzibar`),
    );

    const err = new PassThrough();
    let stderr = '';
    err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const status = await runAdmin(
      ['delete-room', room.id],
      { out: new PassThrough(), err, in: Readable.from(['']) },
      { REDIS_CLUSTER_NODES: cluster.urls.join(',') },
    );
    expect(stderr).toContain(`deleted room ${room.id}`);
    expect(status).toBe(0);
    await waitFor('the room to leave the tab', () =>
      ownerTab.received<{ id: string }>('hide.room').some((hidden) => hidden.id === room.id),
    );
    expect(await keysNaming()).toEqual([]);
  });
});

describe('a master killed under load', () => {
  it('loses no acknowledged message, duplicates none, answers every send and tells /readyz the truth', async () => {
    // The senders' private room and the Socket.IO adapter's channel on the master that dies, so
    // both its writes and its sharded subscription go through the failover.
    const adapterChannel = 'socket.io#/#';
    const victim = await cluster.masterOf(adapterChannel);
    const pablo = await signIn(server(0).url, 'Pablo');
    let partner: Person | null = null;
    for (let n = 0; n < 30 && !partner; n++) {
      const candidate = await signIn(server(1).url, `Fo${Date.now()}${n}`, 'pw-failover');
      const master = await cluster.masterOf(`room:${privateRoom(pablo, candidate)}`);
      if (master.port === victim.port) partner = candidate;
    }
    if (!partner) throw new Error('no private room found on the adapter channel’s shard');
    const roomId = privateRoom(pablo, partner);
    const senders = [
      await openReconnectingTab(server(0).url, pablo, 'Pablo@0'),
      await openReconnectingTab(server(1).url, partner, 'partner@1'),
    ];
    tabs.push(...senders);
    const reconnections = senders.map(countReconnections);
    const before = await sent(senders[0] as Tab, roomId, 'before the failover');

    const readiness: { at: number; status: number }[] = [];
    let stopped = false;
    const watchReadiness = (async () => {
      while (!stopped) {
        const status = await fetch(`${server(0).url}/readyz`, { signal: AbortSignal.timeout(3000) })
          .then((response) => response.status)
          .catch(() => 0);
        readiness.push({ at: Date.now(), status });
        await new Promise((done) => setTimeout(done, 200));
      }
    })();

    // 10 messages a second from each sender; every send must be answered within the web
    // client's 10 s.
    // `failure`: no ack, because the socket dropped under the send (the instance made it
    // reconnect to catch up; the web client sends it again) or, what must never happen, the
    // ack timed out.
    type Outcome = { text: string; at: number; ack: MessageAck | null; failure?: string };
    const outcomes: Outcome[] = [];
    let killedAt = 0;
    let recoveredAt = 0;
    const sendLoop = async (tab: Tab, who: string) => {
      const pending: Promise<void>[] = [];
      for (let n = 0; !stopped; n++) {
        const text = `${who} ${n}`;
        pending.push(
          send(tab, roomId, text, 10_000).then(
            (ack) => void outcomes.push({ text, at: Date.now(), ack }),
            (error: Error) =>
              void outcomes.push({ text, at: Date.now(), ack: null, failure: error.message }),
          ),
        );
        await new Promise((done) => setTimeout(done, 100));
      }
      await Promise.all(pending);
    };
    const loops = senders.map((tab, i) => sendLoop(tab, i === 0 ? 'pablo' : 'partner'));

    await new Promise((done) => setTimeout(done, 1500));
    killedAt = Date.now();
    await cluster.nodes.find((node) => node.port === victim.port)?.kill();
    // Recovered: sends are accepted again, and have been for 2 s.
    await waitFor(
      'sends to be accepted again after the failover',
      () => {
        const late = outcomes.filter((outcome) => outcome.at > killedAt);
        const lastFailure = late.filter((outcome) => !outcome.ack?.ok).at(-1);
        const since = lastFailure?.at ?? killedAt;
        recoveredAt = since;
        return late.some((outcome) => outcome.ack?.ok && outcome.at > since + 2000);
      },
      30_000,
    );
    await waitFor(
      '/readyz to answer 200 again',
      () => readiness.at(-1)?.status === 200 && readiness.at(-1)!.at > recoveredAt,
      15_000,
    );
    stopped = true;
    await Promise.all(loops);
    await watchReadiness;

    const unanswered = outcomes.filter(
      (outcome) => outcome.ack === null && !/disconnected/.test(outcome.failure ?? ''),
    );
    const dropped = outcomes.length - unanswered.length - outcomes.filter((o) => o.ack).length;
    const accepted = outcomes.flatMap((outcome) => (outcome.ack?.ok ? [outcome.ack.message] : []));
    const refused = outcomes.filter((outcome) => outcome.ack && !outcome.ack.ok);
    console.log(
      `failover: ${outcomes.length} sends, ${accepted.length} accepted, ${refused.length} ` +
        `refused with an error ack, ${dropped} dropped with their socket, ` +
        `${unanswered.length} unanswered; writes back ` +
        `${recoveredAt - killedAt} ms after the kill; /readyz 503 for ` +
        `${readiness.filter((r) => r.at > killedAt && r.status !== 200).length * 200} ms`,
    );
    expect(unanswered.map((outcome) => `${outcome.text}: ${outcome.failure}`)).toEqual([]);
    expect(readiness.some((r) => r.at > killedAt && r.status === 503)).toBe(true);

    // History: every accepted message, once.
    const history = await fetchAllAfter(pablo.http, roomId, before.id);
    const historyIds = history.map((message) => message.id);
    for (const message of accepted) expect(count(historyIds, message.id), message.message).toBe(1);
    expect(new Set(history.map((message) => message.message)).size).toBe(history.length);

    // Live: a tab that missed an accepted message was made to reconnect (and so catches up).
    for (const [i, tab] of senders.entries()) {
      const live = new Set(messageIds(tab));
      const missed = accepted.filter((message) => !live.has(message.id));
      if (missed.length > 0) expect(reconnections[i]!.count, tab.name).toBeGreaterThan(0);
    }
    // And after the failover, live delivery works across instances again.
    const after = await sent(senders[1] as Tab, roomId, 'after the failover');
    await waitFor('live delivery after the failover', () =>
      messageIds(senders[0] as Tab).includes(after.id),
    );
  }, 90_000);
});
