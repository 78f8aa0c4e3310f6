/**
 * Where muted rooms are kept. The effects depend on this interface only; today's implementation
 * keeps them in this browser's localStorage (every tab of it follows a change at once, through the
 * `storage` event), so a server-side one that follows the user to every device can replace it
 * without touching anything else.
 */

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
