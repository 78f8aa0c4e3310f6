/**
 * Retention: with RETENTION_DAYS and/or RETENTION_MAX_MESSAGES_PER_ROOM set, each run removes
 * from every room the messages older than the age or beyond the newest count, oldest first, a
 * page at a time, with what refers to them (the messages feature tells search, mentions and
 * reactions). Unset, nothing is ever removed. One instance runs at a time, under a lock; the
 * others skip that run.
 */
import type { RetentionPorts, TrimPolicy } from './ports.js';

export interface RetentionPolicy {
  maxAgeDays: number | null;
  maxMessagesPerRoom: number | null;
}

/** What one run did; null rooms when another instance held the lock (nothing was done). */
export interface RetentionRun {
  ran: boolean;
  rooms: number;
  removed: number;
}

const DAY_S = 86_400;
/** Messages removed per round trip: bounds the memory a run holds and each command's size. */
export const TRIM_PAGE_SIZE = 500;

export function retentionEnabled(policy: RetentionPolicy): boolean {
  return policy.maxAgeDays !== null || policy.maxMessagesPerRoom !== null;
}

/** The policy at a moment: message scores are send times in seconds. */
export function trimPolicyAt(policy: RetentionPolicy, nowMs: number): TrimPolicy {
  return {
    beforeScore: policy.maxAgeDays === null ? null : nowMs / 1000 - policy.maxAgeDays * DAY_S,
    keepNewest: policy.maxMessagesPerRoom,
  };
}

export async function runRetention(
  ports: RetentionPorts,
  policy: RetentionPolicy,
  options: {
    nowMs: number;
    /** How long the lock lasts if this instance dies mid-run. */
    lockTtlMs: number;
    /** Told of each room's removals (metrics). */
    onRemoved?: (roomId: string, count: number) => void;
  },
): Promise<RetentionRun> {
  if (!retentionEnabled(policy)) return { ran: false, rooms: 0, removed: 0 };
  const token = await ports.lock.acquire(options.lockTtlMs);
  if (!token) return { ran: false, rooms: 0, removed: 0 };
  const trim = trimPolicyAt(policy, options.nowMs);
  const seen = new Set<string>();
  let removed = 0;
  try {
    for await (const page of ports.roomIds()) {
      for (const roomId of page) {
        // SCAN may give a key twice; a room trimmed once is done.
        if (seen.has(roomId)) continue;
        seen.add(roomId);
        let inRoom = 0;
        for (;;) {
          const gone = await ports.trimOldest(roomId, trim, TRIM_PAGE_SIZE);
          inRoom += gone.length;
          if (gone.length < TRIM_PAGE_SIZE) break;
        }
        if (inRoom > 0) options.onRemoved?.(roomId, inRoom);
        removed += inRoom;
      }
    }
  } finally {
    await ports.lock.release(token);
  }
  return { ran: true, rooms: seen.size, removed };
}
