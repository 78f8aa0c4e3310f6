/**
 * The retention job: every RETENTION_INTERVAL_MS each instance tries a run; the one that takes
 * the lock trims every room (rules.ts), the others skip. Nothing runs when no rule is set.
 */
import type { Logger } from 'pino';
import type { RedisClient } from '../../kernel/redis/client.js';
import type { RetentionPorts } from './ports.js';
import { RedisJobLock, roomIdsOnRedis } from './redis-store.js';
import {
  type RetentionPolicy,
  type RetentionRun,
  retentionEnabled,
  runRetention,
} from './rules.js';

export type { RetentionPolicy, RetentionRun } from './rules.js';

export interface RetentionFeature {
  /** Runs every interval from now on (the first run after one interval). */
  start(): void;
  stop(): void;
  /** One run now (tests, the command line). */
  runOnce(): Promise<RetentionRun>;
}

export interface RetentionDeps {
  redis: RedisClient;
  /** The messages feature's trim. */
  messages: Pick<RetentionPorts, 'trimOldest'>;
  policy: RetentionPolicy;
  intervalMs: number;
  /** Counts the messages removed (metrics). */
  counter: { retentionRemoved(roomId: string, count: number): void };
  log: Logger;
}

/** A run that lasts longer than this (a dead instance's) stops blocking the others. */
const LOCK_TTL_MAX_MS = 10 * 60 * 1000;

export function createRetention(deps: RetentionDeps): RetentionFeature {
  const ports: RetentionPorts = {
    roomIds: () => roomIdsOnRedis(deps.redis),
    trimOldest: (roomId, policy, pageSize) => deps.messages.trimOldest(roomId, policy, pageSize),
    lock: new RedisJobLock(deps.redis),
  };
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<RetentionRun> | null = null;
  const runOnce = () => {
    running ??= runRetention(ports, deps.policy, {
      nowMs: Date.now(),
      lockTtlMs: Math.min(deps.intervalMs, LOCK_TTL_MAX_MS),
      onRemoved: (roomId, count) => deps.counter.retentionRemoved(roomId, count),
    }).finally(() => {
      running = null;
    });
    return running;
  };
  return {
    start() {
      if (!retentionEnabled(deps.policy) || timer) return;
      timer = setInterval(() => {
        runOnce()
          .then((run) => {
            if (run.removed > 0) {
              deps.log.info({ rooms: run.rooms, removed: run.removed }, 'retention trimmed');
            }
          })
          .catch((error: unknown) => deps.log.warn({ err: error }, 'retention run failed'));
      }, deps.intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    runOnce,
  };
}
