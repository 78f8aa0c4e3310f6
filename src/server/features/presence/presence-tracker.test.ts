import { describe, expect, it } from 'vitest';
import type { UserPresence } from '../../../protocol/models.js';
import { MemoryPresenceStore, MemoryUserNames, PresenceData } from './memory-store.js';
import { PresenceTracker } from './presence-tracker.js';
import { PresenceDirectory } from './rules.js';

const silentLog = { info: () => undefined, warn: () => undefined };
const names = new MemoryUserNames({ '1': 'Ada', '2': 'Bruno' });

function instance(serverId: string, data: PresenceData, offlineGraceMs = 0, now = Date.now) {
  const announced: UserPresence[] = [];
  const store = new MemoryPresenceStore(serverId, data, now);
  const tracker = new PresenceTracker(
    store,
    names,
    silentLog,
    { heartbeatMs: 1000, instanceTimeoutMs: 3000, handoverGraceMs: 50, offlineGraceMs },
    (user) => announced.push(user),
  );
  return { tracker, store, announced };
}

const socket = (id: string, userId: string, sessionId = `session-${id}`) => ({
  id,
  data: { userId, username: names.names[userId] ?? '', sessionId },
});

describe('presence', () => {
  it('comes online with the first connection and goes offline with the last', async () => {
    const { tracker, announced } = instance('a', new PresenceData());
    const tab1 = socket('s1', '1');
    const tab2 = socket('s2', '1');
    tracker.connected(tab1);
    tracker.connected(tab2);
    await tracker.drain();
    expect(announced).toEqual([{ id: '1', username: 'Ada', online: true }]);
    tracker.disconnected(tab1);
    await tracker.drain();
    expect(announced).toHaveLength(1); // one tab left: still online
    tracker.disconnected(tab2);
    await tracker.drain();
    expect(announced.at(-1)).toEqual({ id: '1', username: 'Ada', online: false });
  });

  it('counts connections on every instance: closing one instance’s last tab is not going offline', async () => {
    const data = new PresenceData();
    const a = instance('a', data);
    const b = instance('b', data);
    a.tracker.connected(socket('s1', '2'));
    await a.tracker.drain();
    b.tracker.connected(socket('s2', '2'));
    await b.tracker.drain();
    expect(b.announced).toEqual([]); // already online through instance a
    a.tracker.disconnected(socket('s1', '2'));
    await a.tracker.drain();
    expect(a.announced).toEqual([{ id: '2', username: 'Bruno', online: true }]);
  });

  it('knows which sessions have a socket here', async () => {
    const { tracker } = instance('a', new PresenceData());
    tracker.connected(socket('s1', '1', 'session-x'));
    expect(tracker.hasSocket('session-x')).toBe(true);
    tracker.disconnected(socket('s1', '1', 'session-x'));
    expect(tracker.hasSocket('session-x')).toBe(false);
  });

  it('announces nothing for users who reconnect during a hold', async () => {
    const { tracker, announced } = instance('a', new PresenceData());
    tracker.connected(socket('s1', '1'));
    await tracker.drain();
    tracker.hold();
    tracker.disconnected(socket('s1', '1'));
    tracker.connected(socket('s2', '1'));
    await tracker.release();
    await tracker.drain();
    expect(announced).toEqual([{ id: '1', username: 'Ada', online: true }]);
  });

  it('announces the users who did not come back when a hold ends', async () => {
    const { tracker, announced } = instance('a', new PresenceData());
    tracker.connected(socket('s1', '1'));
    await tracker.drain();
    tracker.hold();
    tracker.disconnected(socket('s1', '1'));
    await tracker.release();
    expect(announced.at(-1)).toEqual({ id: '1', username: 'Ada', online: false });
  });

  it('announces nothing for a user back within the offline grace, on any instance', async () => {
    const data = new PresenceData();
    const a = instance('a', data, 60_000);
    const b = instance('b', data, 60_000);
    a.tracker.connected(socket('s1', '1'));
    await a.tracker.drain();
    a.tracker.disconnected(socket('s1', '1'));
    await a.tracker.drain();
    expect(await a.store.areOnline(['1'])).toEqual([true]); // still online for everyone
    b.tracker.connected(socket('s2', '1')); // the reload lands on another instance
    await b.tracker.drain();
    expect(a.announced).toEqual([{ id: '1', username: 'Ada', online: true }]);
    expect(b.announced).toEqual([]);
  });

  it('announces offline once the grace is over, from one instance only', async () => {
    const data = new PresenceData();
    let clock = 1_000;
    const now = () => clock;
    const a = instance('a', data, 5_000, now);
    const b = instance('b', data, 5_000, now);
    a.tracker.connected(socket('s1', '2'));
    await a.tracker.drain();
    a.tracker.disconnected(socket('s1', '2'));
    await a.tracker.drain();
    expect(await a.store.dueOffline(clock + 4_999, 10)).toEqual([]);
    clock += 5_000;
    expect(await a.store.dueOffline(clock, 10)).toEqual(['2']);
    // Both instances find the user due; one takes them offline.
    expect(await Promise.all([a.store.settleOffline('2'), b.store.settleOffline('2')])).toEqual([
      true,
      false,
    ]);
    expect(await a.store.areOnline(['2'])).toEqual([false]);
    a.tracker.connected(socket('s2', '2'));
    await a.tracker.drain();
    expect(a.announced.at(-1)).toEqual({ id: '2', username: 'Bruno', online: true });
  });

  it('settles due users through the tracker, skipping those who came back', async () => {
    const data = new PresenceData();
    const { tracker, announced } = instance('a', data, 1);
    tracker.connected(socket('s1', '1'));
    tracker.connected(socket('s2', '2'));
    await tracker.drain();
    tracker.disconnected(socket('s1', '1'));
    tracker.disconnected(socket('s2', '2'));
    tracker.connected(socket('s3', '2'));
    await tracker.drain();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await tracker.settleDue();
    expect(announced.slice(2)).toEqual([{ id: '1', username: 'Ada', online: false }]);
    expect(data.offlinePending.size).toBe(0);
  });

  it('lets a user cycling connections cause one online event per grace period at most', async () => {
    const { tracker, announced } = instance('a', new PresenceData(), 60_000);
    for (let i = 0; i < 50; i++) {
      tracker.connected(socket(`s${i}`, '1'));
      await tracker.drain();
      tracker.disconnected(socket(`s${i}`, '1'));
      await tracker.drain();
    }
    await tracker.settleDue();
    expect(announced).toEqual([{ id: '1', username: 'Ada', online: true }]);
  });

  it('lists users by id with their presence, leaving out unknown ids', async () => {
    const data = new PresenceData();
    const { tracker, store } = instance('a', data);
    tracker.connected(socket('s1', '2'));
    await tracker.drain();
    const directory = new PresenceDirectory(store, names);
    expect(await directory.usersByIds(['1', '2', '2', '9'])).toEqual({
      '1': { id: '1', username: 'Ada', online: false },
      '2': { id: '2', username: 'Bruno', online: true },
    });
    expect(await directory.onlineUsers()).toEqual({
      '2': { id: '2', username: 'Bruno', online: true },
    });
  });
});
