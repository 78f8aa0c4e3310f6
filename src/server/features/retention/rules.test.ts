import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../protocol/models.js';
import { MemoryJobLock } from './memory-store.js';
import type { RetentionPorts, TrimPolicy } from './ports.js';
import { TRIM_PAGE_SIZE, runRetention, trimPolicyAt } from './rules.js';

const message = (roomId: string, n: number): ChatMessage => ({
  id: `${n}-x`,
  from: '1',
  date: n,
  message: `m${n}`,
  roomId,
});

/** Rooms of messages scored 1, 2, 3, …; trimOldest applies the policy as the messages feature does. */
function setup(sizes: Record<string, number>, scanPages: string[][] = [Object.keys(sizes)]) {
  const rooms = new Map(
    Object.entries(sizes).map(([id, size]) => [
      id,
      Array.from({ length: size }, (_, i) => message(id, i + 1)),
    ]),
  );
  const lock = new MemoryJobLock();
  const calls: { roomId: string; policy: TrimPolicy }[] = [];
  const ports: RetentionPorts = {
    async *roomIds() {
      yield* scanPages;
    },
    async trimOldest(roomId, policy, pageSize) {
      calls.push({ roomId, policy });
      const room = rooms.get(roomId) ?? [];
      const excess = policy.keepNewest === null ? 0 : room.length - policy.keepNewest;
      const gone = room
        .slice(0, pageSize)
        .filter(
          (m, i) => i < excess || (policy.beforeScore !== null && m.date < policy.beforeScore),
        );
      rooms.set(roomId, room.slice(gone.length));
      return gone;
    },
    lock,
  };
  return { ports, rooms, lock, calls };
}

const options = { nowMs: 0, lockTtlMs: 1000 };

describe('retention', () => {
  it('does nothing, and takes no lock, when no rule is set', async () => {
    const { ports, rooms, calls } = setup({ '0': 10 });
    const policy = { maxAgeDays: null, maxMessagesPerRoom: null };
    expect(await runRetention(ports, policy, options)).toEqual({
      ran: false,
      rooms: 0,
      removed: 0,
    });
    expect(calls).toEqual([]);
    expect(rooms.get('0')).toHaveLength(10);
  });

  it('keeps each room’s newest messages, page after page, and counts each room once', async () => {
    const big = TRIM_PAGE_SIZE * 2 + 7;
    const { ports, rooms, lock } = setup({ '0': big, '5': 3, '1:2': 12 }, [
      ['0', '5'],
      ['1:2', '0'],
    ]);
    const removedByRoom: Record<string, number> = {};
    const run = await runRetention(
      ports,
      { maxAgeDays: null, maxMessagesPerRoom: 5 },
      { ...options, onRemoved: (roomId, count) => (removedByRoom[roomId] = count) },
    );
    expect(run).toEqual({ ran: true, rooms: 3, removed: big - 5 + 7 });
    expect(removedByRoom).toEqual({ '0': big - 5, '1:2': 7 });
    expect(rooms.get('0')?.map((m) => m.date)).toEqual([big - 4, big - 3, big - 2, big - 1, big]);
    expect(rooms.get('5')).toHaveLength(3);
    expect(lock.holder).toBeNull();
  });

  it('skips the run while another instance holds the lock, and lets go after a failure', async () => {
    const { ports, rooms, lock } = setup({ '0': 10 });
    const policy = { maxAgeDays: null, maxMessagesPerRoom: 1 };
    lock.holder = 'another-instance';
    expect((await runRetention(ports, policy, options)).ran).toBe(false);
    expect(rooms.get('0')).toHaveLength(10);
    lock.holder = null;
    const failing = { ...ports, trimOldest: () => Promise.reject(new Error('Redis went away')) };
    await expect(runRetention(failing, policy, options)).rejects.toThrow('Redis went away');
    expect(lock.holder).toBeNull();
  });

  it('turns days into the score (seconds) before which messages go', () => {
    const nowMs = 10 * 86_400_000;
    expect(trimPolicyAt({ maxAgeDays: 3, maxMessagesPerRoom: null }, nowMs)).toEqual({
      beforeScore: 7 * 86_400,
      keepNewest: null,
    });
    expect(trimPolicyAt({ maxAgeDays: null, maxMessagesPerRoom: 9 }, nowMs)).toEqual({
      beforeScore: null,
      keepNewest: 9,
    });
  });
});
