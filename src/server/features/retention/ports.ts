/** What the retention job needs: the rooms, the messages feature's trim, and a lock. */
import type { ChatMessage } from '../../../protocol/models.js';

/** What retention keeps of a room (the messages feature's TrimPolicy); null: that rule is off. */
export interface TrimPolicy {
  beforeScore: number | null;
  keepNewest: number | null;
}

export interface RetentionPorts {
  /** Every room id holding messages, a page at a time (an id may come twice). */
  roomIds(): AsyncIterable<string[]>;
  /** Removes up to `pageSize` of the room's oldest messages the policy no longer keeps. */
  trimOldest(roomId: string, policy: TrimPolicy, pageSize: number): Promise<ChatMessage[]>;
  lock: JobLock;
}

/** A lock held by one instance at a time, lapsing after `ttlMs` if its holder dies. */
export interface JobLock {
  /** A token when taken, null when another holds it. */
  acquire(ttlMs: number): Promise<string | null>;
  /** Lets go, only if this token still holds it. */
  release(token: string): Promise<void>;
}
