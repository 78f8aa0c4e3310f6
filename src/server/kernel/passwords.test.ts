import { describe, expect, it } from 'vitest';
import { refusal } from '../testing/refusal.js';
import { FairWorkQueue } from './passwords.js';

/** Work that finishes when the test says so, recording when it started. */
function gate(started: string[], name: string) {
  let open!: () => void;
  const opened = new Promise<void>((done) => (open = done));
  return {
    work: async () => {
      started.push(name);
      await opened;
      return name;
    },
    open: () => open(),
  };
}

const tick = () => new Promise((done) => setImmediate(done));

describe('FairWorkQueue', () => {
  it('runs at most its concurrency at once', async () => {
    const queue = new FairWorkQueue(2);
    const started: string[] = [];
    const jobs = ['a', 'b', 'c'].map((name) => gate(started, name));
    const results = jobs.map((job) => queue.run('10.0.0.1', job.work));
    await tick();
    expect(started).toEqual(['a', 'b']);
    jobs[0]?.open();
    await tick();
    expect(started).toEqual(['a', 'b', 'c']);
    for (const job of jobs) job.open();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c']);
  });

  it('serves a newcomer next, not after a flood from another address', async () => {
    const queue = new FairWorkQueue(1);
    const started: string[] = [];
    const flood = Array.from({ length: 5 }, (_, i) => gate(started, `flood${i}`));
    const floodRuns = flood.map((job) => queue.run('203.0.113.9', job.work));
    const owner = gate(started, 'owner');
    const ownerRun = queue.run('198.51.100.7', owner.work);
    await tick();
    expect(started).toEqual(['flood0']);
    flood[0]?.open();
    await tick();
    // One turn each: the owner's sign-in goes before the rest of the flood.
    expect(started).toEqual(['flood0', 'flood1']);
    flood[1]?.open();
    await tick();
    expect(started).toEqual(['flood0', 'flood1', 'owner']);
    owner.open();
    for (const job of flood) job.open();
    await Promise.all([ownerRun, ...floodRuns]);
  });

  it('refuses work beyond what one address may have waiting, and beyond the total', async () => {
    const queue = new FairWorkQueue(1, 2, 3);
    const started: string[] = [];
    const jobs = Array.from({ length: 6 }, (_, i) => gate(started, `j${i}`));
    const running = queue.run('a', jobs[0]!.work);
    await tick();
    const waiting = [queue.run('a', jobs[1]!.work), queue.run('a', jobs[2]!.work)];
    expect(await refusal(queue.run('a', jobs[3]!.work))).toMatchObject({
      code: 'rate_limited',
      retryAfterS: 1,
    });
    waiting.push(queue.run('b', jobs[4]!.work));
    expect(await refusal(queue.run('c', jobs[5]!.work))).toMatchObject({ code: 'unavailable' });
    for (const job of jobs) job.open();
    await Promise.all([running, ...waiting]);
  });

  it('passes a failure on and keeps serving', async () => {
    const queue = new FairWorkQueue(1);
    await expect(queue.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await queue.run('a', async () => 'next')).toBe('next');
  });
});
