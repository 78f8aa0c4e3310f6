import { describe, expect, it } from 'vitest';
import type { UserPresence } from '../../../protocol/models.js';
import { MemoryPresenceStore, MemoryUserNames, PresenceData } from './memory-store.js';
import { PresenceTracker } from './presence-tracker.js';
import { PresenceDirectory } from './rules.js';

const silentLog = { info: () => undefined, warn: () => undefined };
const names = new MemoryUserNames({ '1': 'Ada', '2': 'Bruno' });

function instance(serverId: string, data: PresenceData) {
  const announced: UserPresence[] = [];
  const store = new MemoryPresenceStore(serverId, data);
  const tracker = new PresenceTracker(
    store,
    names,
    silentLog,
    { heartbeatMs: 1000, instanceTimeoutMs: 3000, handoverGraceMs: 50 },
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
