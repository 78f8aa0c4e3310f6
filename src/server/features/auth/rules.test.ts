import { describe, expect, it } from 'vitest';
import { refusal } from '../../testing/refusal.js';
import { USERNAME_PATTERN } from '../../../protocol/limits.js';
import { MemoryRateLimiter, MemoryUserStore, plainTextHasher } from './memory-store.js';
import { AuthService } from './rules.js';

function setup({ perIp = 50, perName = 3 } = {}) {
  const users = new MemoryUserStore();
  const auth = new AuthService(users, plainTextHasher, {
    failuresByIp: new MemoryRateLimiter(perIp, 60_000),
    failuresByUsername: new MemoryRateLimiter(perName, 60_000),
  });
  return { users, auth };
}

describe('signing in', () => {
  it('registers an unknown name, then signs that user in with the same password', async () => {
    const { auth } = setup();
    const first = await auth.login('Ada', 'secret', '10.0.0.1');
    expect(first).toEqual({ user: { id: '1', username: 'Ada' }, created: true });
    const again = await auth.login('Ada', 'secret', '10.0.0.1');
    expect(again).toEqual({ user: { id: '1', username: 'Ada' }, created: false });
  });

  it('refuses a wrong password without saying which part was wrong', async () => {
    const { auth } = setup();
    await auth.login('Ada', 'secret', '10.0.0.1');
    expect(await refusal(auth.login('Ada', 'guess', '10.0.0.1'))).toMatchObject({
      code: 'invalid_credentials',
      message: 'Invalid username or password',
    });
  });

  it('blocks a username after its failures, for everyone, with the wait in seconds', async () => {
    const { auth } = setup({ perName: 3 });
    await auth.login('Ada', 'secret', '10.0.0.1');
    for (const ip of ['10.0.0.2', '10.0.0.3', '10.0.0.4']) {
      await refusal(auth.login('Ada', 'guess', ip));
    }
    // Even the right password waits: the limit is what stops guessing.
    const blocked = await refusal(auth.login('Ada', 'secret', '10.0.0.5'));
    expect(blocked.code).toBe('rate_limited');
    expect(blocked.message).toMatch(
      /too many failed sign-ins for this username; try again in \d+ s/,
    );
    expect(blocked.retryAfterS).toBeGreaterThan(0);
  });

  it('blocks an address after its failures across usernames', async () => {
    const { auth } = setup({ perIp: 2, perName: 10 });
    await auth.login('Ada', 'secret', '10.0.0.9');
    await auth.login('Bruno', 'secret', '10.0.0.9');
    await refusal(auth.login('Ada', 'guess', '10.0.0.1'));
    await refusal(auth.login('Bruno', 'guess', '10.0.0.1'));
    const blocked = await refusal(auth.login('Ada', 'secret', '10.0.0.1'));
    expect(blocked.message).toMatch(/from this address/);
    // Another address is not affected.
    expect((await auth.login('Ada', 'secret', '10.0.0.2')).user.username).toBe('Ada');
  });

  it('forgets a username’s failures once its owner signs in', async () => {
    const { auth } = setup({ perName: 2 });
    await auth.login('Ada', 'secret', '10.0.0.1');
    await refusal(auth.login('Ada', 'guess', '10.0.0.1'));
    await auth.login('Ada', 'secret', '10.0.0.1');
    await refusal(auth.login('Ada', 'guess', '10.0.0.1'));
    expect((await auth.login('Ada', 'secret', '10.0.0.1')).created).toBe(false);
  });

  it('never slows registrations down: they cannot fail on a password', async () => {
    const { auth } = setup({ perIp: 1, perName: 1 });
    for (let i = 0; i < 5; i++) {
      expect((await auth.login(`User${i}`, 'pw', '10.0.0.1')).created).toBe(true);
    }
  });

  it('suggests a valid name that nobody has', async () => {
    const { auth, users } = setup();
    const name = await auth.suggestUsername();
    expect(name).toMatch(USERNAME_PATTERN);
    expect(await users.findUserByName(name)).toBeNull();
  });
});
