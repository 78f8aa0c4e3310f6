/**
 * Where muted rooms are kept. The effects depend on this interface only. The chat keeps them on
 * the server (`user:{id}:muted`), so they follow the user to every tab and device; the browser's
 * localStorage is the stand-in for tests and for a client without a server connection.
 */
import type { Transport } from '../../core/transport/index.js';

export interface MutedRoomsStore {
  /** The rooms muted now. */
  list(): Promise<string[]>;
  /** Rejects when the change could not be kept. */
  setMuted(roomId: string, muted: boolean): Promise<void>;
  /** Calls `listener` with the whole list when it changed elsewhere (another tab or device). */
  subscribe(listener: (roomIds: string[]) => void): () => void;
}

const keyOf = (userId: string) => `redis-chat:user:${userId}:muted`;

function parse(value: string | null): string[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/** Muted rooms in this browser, one list per user. */
export function localMutedRooms(userId: string, storage: Storage = localStorage): MutedRoomsStore {
  const key = keyOf(userId);
  const read = () => parse(storage.getItem(key));
  return {
    list: () => Promise.resolve(read()),
    setMuted(roomId, muted) {
      const others = read().filter((id) => id !== roomId);
      storage.setItem(key, JSON.stringify(muted ? [...others, roomId] : others));
      return Promise.resolve();
    },
    subscribe(listener) {
      const onStorage = (event: StorageEvent) => {
        if (event.key === key && event.storageArea === storage) listener(parse(event.newValue));
      };
      window.addEventListener('storage', onStorage);
      return () => window.removeEventListener('storage', onStorage);
    },
  };
}

/**
 * Muted rooms on the server: every tab and device of the user hears a change (`rooms.muted`),
 * and after a reconnect the list is asked for again, since changes made meanwhile were not heard.
 */
export function serverMutedRooms({ api, connection }: Transport): MutedRoomsStore {
  return {
    list: async () => (await api.mutedRooms()).roomIds,
    async setMuted(roomId, muted) {
      await (muted ? api.muteRoom(roomId) : api.unmuteRoom(roomId));
    },
    subscribe(listener) {
      let connectedBefore = false;
      const offChange = connection.on('rooms.muted', ({ roomIds }) => listener(roomIds));
      const offConnect = connection.onConnect(() => {
        if (connectedBefore) {
          api.mutedRooms().then(
            ({ roomIds }) => listener(roomIds),
            () => undefined,
          );
        }
        connectedBefore = true;
      });
      return () => {
        offChange();
        offConnect();
      };
    },
  };
}
