import { afterEach, describe, expect, it, vi } from 'vitest';
import { localMutedRooms } from './muted-rooms.js';

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
