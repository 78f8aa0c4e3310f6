/**
 * Message ids and scores. A message's score in its room's sorted set is its send time in seconds
 * with microsecond precision; its id starts with the same time in whole microseconds. Both come
 * from a clock that never repeats or goes back within a process, so a sender's messages keep their
 * order even within one second, and two identical messages never collide.
 */
import { randomBytes } from 'node:crypto';

const ID_PATTERN = /^([0-9]{1,17})-([A-Za-z0-9]{1,32})$/;

export class MessageClock {
  private lastMicros = 0;

  /** Microseconds since the epoch, strictly increasing from one call to the next. */
  nextMicros(): number {
    const now = Date.now() * 1000;
    this.lastMicros = now > this.lastMicros ? now : this.lastMicros + 1;
    return this.lastMicros;
  }
}

/** Randomness for id suffixes, drawn 4 KiB at a time: one call into OpenSSL per 512 messages. */
const SUFFIX_BYTES = 6;
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let poolOffset = 0;

function nextSuffixBytes(): Buffer {
  if (poolOffset + SUFFIX_BYTES > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + SUFFIX_BYTES);
  poolOffset += SUFFIX_BYTES;
  return bytes;
}

export function newMessageId(micros: number): string {
  return `${micros}-${nextSuffixBytes().toString('base64url').replace(/[-_]/g, 'x')}`;
}

export const scoreOfMicros = (micros: number) => micros / 1e6;

/** The score encoded in a message id, or null when the id is not one of ours. */
export function scoreOfMessageId(id: string): number | null {
  const match = ID_PATTERN.exec(id);
  return match?.[1] ? scoreOfMicros(Number(match[1])) : null;
}

/** A stable id for a message stored without one (by the seed's servers): its score and a hash. */
export function derivedMessageId(score: number, raw: string): string {
  // FNV-1a: cheap, stable, and enough to tell apart messages that share a score.
  let hash = 0x811c9dc5;
  for (let i = 0; i < raw.length; i++) {
    hash ^= raw.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `${Math.round(score * 1e6)}-s${(hash >>> 0).toString(36)}`;
}
