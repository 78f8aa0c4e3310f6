/** In-memory versions of the retention ports, for the unit tests of the rules. */
import type { JobLock } from './ports.js';

export class MemoryJobLock implements JobLock {
  holder: string | null = null;
  private next = 0;

  async acquire(): Promise<string | null> {
    if (this.holder) return null;
    this.holder = `token-${++this.next}`;
    return this.holder;
  }

  async release(token: string): Promise<void> {
    if (this.holder === token) this.holder = null;
  }
}
