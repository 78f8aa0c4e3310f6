import { afterEach, describe, expect, it, vi } from 'vitest';
import { ServerConnection } from '../../core/transport/index.js';
import { FakeSocket, fakeApi } from '../../test/fake-transport.js';
import { localMutedRooms, serverMutedRooms } from './muted-rooms.js';

describe('muted rooms in this browser', () => {
  afterEach(() => localStorage.clear());

  it('are kept per user and survive a reload', async () => {
    const pablo = localMutedRooms('1');
    await pablo.setMuted('0', true);
    await pablo.setMuted('5', true);
    await pablo.setMuted('0', false);
    expect(await localMutedRooms('1').list()).toEqual(['5']);
    expect(await localMutedRooms('2').list()).toEqual([]);
  });

  it('tell the other tabs of the same user at once', () => {
    const listener = vi.fn();
    const unsubscribe = localMutedRooms('1').subscribe(listener);
    const event = (key: string) =>
      new StorageEvent('storage', { key, newValue: '["7"]', storageArea: localStorage });
    window.dispatchEvent(event('redis-chat:user:2:muted'));
    window.dispatchEvent(event('redis-chat:user:1:muted'));
    expect(listener.mock.calls).toEqual([[['7']]]);
    unsubscribe();
  });

  it('read damaged storage as nothing muted', async () => {
    localStorage.setItem('redis-chat:user:1:muted', '{not json');
    expect(await localMutedRooms('1').list()).toEqual([]);
  });
});

describe('muted rooms on the server', () => {
  it('change through the API and follow other devices live, and again after a reconnect', async () => {
    const socket = new FakeSocket();
    let muted: string[] = ['5'];
    const { api, calls } = fakeApi({
      mutedRooms: () => ({ roomIds: muted }),
      muteRoom: (roomId: string) => ({ roomIds: (muted = [...muted, roomId]) }),
    });
    const store = serverMutedRooms({
      api,
      connection: new ServerConnection(socket.asChatSocket()),
    });
    expect(await store.list()).toEqual(['5']);
    await store.setMuted('7', true);
    await store.setMuted('5', false);
    expect(calls.map((call) => [call.name, call.args])).toEqual([
      ['mutedRooms', []],
      ['muteRoom', ['7']],
      ['unmuteRoom', ['5']],
    ]);

    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    socket.goOnline();
    socket.serverEmits('rooms.muted', { roomIds: ['0'] });
    muted = ['0', '9'];
    socket.goOffline();
    socket.goOnline();
    await vi.waitFor(() => expect(listener).toHaveBeenCalledTimes(2));
    expect(listener.mock.calls).toEqual([[['0']], [['0', '9']]]);
    unsubscribe();
    expect(socket.listenerCount('rooms.muted')).toBe(0);
  });
});
