/**
 * bcrypt with cost 10 in the `$2b$` format, which the seed's servers in every language verify.
 *
 * The native binding hashes on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says
 * otherwise), which also reads the web client's files and resolves host names. A flood of
 * sign-ins or registrations would fill every thread and queue everything else behind ~50 ms
 * hashes; so at most BCRYPT_CONCURRENCY hashes run at once and the rest wait here, served in
 * turn per client address, so that one address's flood slows that address down, not the
 * person signing in next to it. Each address may have only a few hashes waiting.
 */
import bcrypt from 'bcrypt';
import { AppError, rateLimited } from './errors.js';

const BCRYPT_COST = 10;
/** Hashes one client may have waiting; more are refused (rate_limited) rather than queued. */
export const PASSWORD_WORK_WAITING_PER_CLIENT = 64;
/** Hashes waiting in all; past this the server is overwhelmed and says so (unavailable). */
export const PASSWORD_WORK_WAITING_MAX = 1_000;

export interface PasswordHasher {
  /** `requester` (a client address) is whose turn this work counts against. */
  hash(password: string, requester?: string): Promise<string>;
  verify(password: string, hash: string, requester?: string): Promise<boolean>;
}

interface Job {
  work: () => Promise<unknown>;
  done: (value: unknown) => void;
  fail: (error: unknown) => void;
}

/**
 * Runs at most `concurrency` jobs at once. Waiting jobs are grouped by key and the keys are
 * served round-robin: a key with a hundred jobs waiting gets every other turn when one more key
 * has a job, not a hundred turns first.
 */
export class FairWorkQueue {
  /** Waiting jobs by key; Map order is the turn order (a served key moves to the end). */
  private readonly waiting = new Map<string, Job[]>();
  private waitingCount = 0;
  private running = 0;

  constructor(
    private readonly concurrency: number,
    private readonly maxWaitingPerKey = PASSWORD_WORK_WAITING_PER_CLIENT,
    private readonly maxWaiting = PASSWORD_WORK_WAITING_MAX,
  ) {}

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const queue = this.waiting.get(key) ?? [];
    if (queue.length >= this.maxWaitingPerKey) {
      return Promise.reject(
        rateLimited(
          'too many sign-ins under way from this address; try again in 1 s',
          1,
          'password_queue',
        ),
      );
    }
    if (this.waitingCount >= this.maxWaiting) {
      return Promise.reject(
        new AppError('unavailable', 'the server is busy checking passwords; try again'),
      );
    }
    return new Promise<T>((done, fail) => {
      queue.push({ work, done: done as (value: unknown) => void, fail });
      this.waiting.set(key, queue);
      this.waitingCount++;
      this.next();
    });
  }

  /** Jobs waiting for a turn (for tests and metrics). */
  get pending(): number {
    return this.waitingCount;
  }

  private next(): void {
    while (this.running < this.concurrency) {
      const turn = this.waiting.entries().next();
      if (turn.done) return;
      const [key, queue] = turn.value;
      const job = queue.shift();
      // Served: to the back of the line, or out of it.
      this.waiting.delete(key);
      if (queue.length > 0) this.waiting.set(key, queue);
      if (!job) continue;
      this.waitingCount--;
      this.running++;
      job
        .work()
        .then(job.done, job.fail)
        .finally(() => {
          this.running--;
          this.next();
        });
    }
  }
}

/** Work the server does for itself (the demo data) waits its turn like a client. */
const SERVER_REQUESTER = 'server';

export function bcryptHasher(concurrency: number): PasswordHasher {
  const queue = new FairWorkQueue(concurrency);
  return {
    hash: (password, requester = SERVER_REQUESTER) =>
      queue.run(requester, () => bcrypt.hash(password, BCRYPT_COST)),
    // Hashes from other bcrypt ports ($2a$, $2y$) verify the same way.
    verify: (password, hash, requester = SERVER_REQUESTER) =>
      queue.run(requester, () => bcrypt.compare(password, hash.replace(/^\$2y\$/, '$2b$'))),
  };
}
