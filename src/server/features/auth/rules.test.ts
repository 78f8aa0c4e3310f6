import { describe, expect, it } from 'vitest';
import { refusal } from '../../testing/refusal.js';
import { USERNAME_PATTERN } from '../../../protocol/limits.js';
import { MemoryRateLimiter, MemoryUserStore, plainTextHasher } from './memory-store.js';
import { AuthService } from './rules.js';

const WINDOW_MS = 60_000;

function setup({
  perPair = 3,
  perIp = 50,
  perName = 100,
  registrations = 0,
  passwordChanges = 10,
} = {}) {
  const users = new MemoryUserStore();
  const clock = { now: 1_000_000 };
  const now = () => clock.now;
  const auth = new AuthService(users, plainTextHasher, {
    failuresByIpAndUsername: new MemoryRateLimiter(perPair, WINDOW_MS, now),
    failuresByIp: new MemoryRateLimiter(perIp, WINDOW_MS, now),
    failuresByUsername: new MemoryRateLimiter(perName, 4 * WINDOW_MS, now),
    registrationsByIp:
      registrations > 0 ? new MemoryRateLimiter(registrations, 60 * WINDOW_MS, now) : null,
    passwordChangesByUser: new MemoryRateLimiter(passwordChanges, 60 * WINDOW_MS, now),
  });
  return { users, auth, clock };
}

describe('signing in', () => {
  it('registers an unknown name, then signs that user in with the same password', async () => {
    const { auth } = setup();
    const first = await auth.login('Ada', 'secret', '10.0.0.1');
    expect(first).toEqual({
      user: { id: '1', username: 'Ada' },
      created: true,
      mustChangePassword: false,
    });
    const again = await auth.login('Ada', 'secret', '10.0.0.1');
    expect(again).toEqual({
      user: { id: '1', username: 'Ada' },
      created: false,
      mustChangePassword: false,
    });
  });

  it('refuses a wrong password without saying which part was wrong', async () => {
    const { auth } = setup();
    await auth.login('Ada', 'secret', '10.0.0.1');
    expect(await refusal(auth.login('Ada', 'guess', '10.0.0.1'))).toMatchObject({
      code: 'invalid_credentials',
      message: 'Invalid username or password',
    });
  });

  it('blocks one address guessing at one name, with the wait in seconds', async () => {
    const { auth } = setup({ perPair: 3 });
    await auth.login('Ada', 'secret', '10.0.0.1');
    for (let i = 0; i < 3; i++) await refusal(auth.login('Ada', 'guess', '10.0.0.66'));
    // Even the right password waits there: the limit is what stops guessing.
    const blocked = await refusal(auth.login('Ada', 'secret', '10.0.0.66'));
    expect(blocked.code).toBe('rate_limited');
    expect(blocked.message).toMatch(
      /too many failed sign-ins for this username from this address; try again in \d+ s/,
    );
    expect(blocked.retryAfterS).toBeGreaterThan(0);
  });

  it('never locks the owner out: another address signs in while the attacker’s is blocked', async () => {
    const { auth } = setup({ perPair: 3 });
    await auth.login('Joe', 'secret', '10.0.0.1');
    for (let i = 0; i < 5; i++) await refusal(auth.login('Joe', 'guess', '203.0.113.9'));
    expect((await refusal(auth.login('Joe', 'guess', '203.0.113.9'))).code).toBe('rate_limited');
    expect((await auth.login('Joe', 'secret', '10.0.0.1')).user.username).toBe('Joe');
    expect((await auth.login('Joe', 'secret', '198.51.100.7')).user.username).toBe('Joe');
  });

  it('blocks an address after its failures across usernames', async () => {
    const { auth } = setup({ perIp: 2, perPair: 10 });
    await auth.login('Ada', 'secret', '10.0.0.9');
    await auth.login('Bruno', 'secret', '10.0.0.9');
    await refusal(auth.login('Ada', 'guess', '10.0.0.1'));
    await refusal(auth.login('Bruno', 'guess', '10.0.0.1'));
    const blocked = await refusal(auth.login('Ada', 'secret', '10.0.0.1'));
    expect(blocked.message).toMatch(/from this address/);
    // Another address is not affected.
    expect((await auth.login('Ada', 'secret', '10.0.0.2')).user.username).toBe('Ada');
  });

  it('slows guessing from many addresses to one try per address, and the owner still gets in', async () => {
    const { auth, clock } = setup({ perPair: 5, perName: 4 });
    await auth.login('Ada', 'secret', '10.0.0.1');
    for (let i = 0; i < 4; i++) await refusal(auth.login('Ada', `guess${i}`, `203.0.113.${i}`));
    // The name's ceiling is reached: an address that already failed on it waits its window...
    const slowed = await refusal(auth.login('Ada', 'again', '203.0.113.0'));
    expect(slowed.code).toBe('rate_limited');
    expect(slowed.message).toMatch(/many failed sign-ins, so each address gets one try/);
    // ...a new address gets one try, and then waits too.
    expect((await refusal(auth.login('Ada', 'guess', '203.0.113.50'))).code).toBe(
      'invalid_credentials',
    );
    expect((await refusal(auth.login('Ada', 'guess', '203.0.113.50'))).code).toBe('rate_limited');
    // The owner, from anywhere, with the right password: in.
    expect((await auth.login('Ada', 'secret', '198.51.100.7')).created).toBe(false);
    // After the address's window its try comes back.
    clock.now += WINDOW_MS + 1;
    expect((await refusal(auth.login('Ada', 'guess', '203.0.113.0'))).code).toBe(
      'invalid_credentials',
    );
  });

  it('forgets an address’s failures on a name once its owner signs in from there', async () => {
    const { auth } = setup({ perPair: 2 });
    await auth.login('Ada', 'secret', '10.0.0.1');
    await refusal(auth.login('Ada', 'guess', '10.0.0.1'));
    await auth.login('Ada', 'secret', '10.0.0.1');
    await refusal(auth.login('Ada', 'guess', '10.0.0.1'));
    expect((await auth.login('Ada', 'secret', '10.0.0.1')).created).toBe(false);
  });

  it('never counts registrations as failures', async () => {
    const { auth } = setup({ perIp: 1, perPair: 1, perName: 1 });
    for (let i = 0; i < 5; i++) {
      expect((await auth.login(`User${i}`, 'pw', '10.0.0.1')).created).toBe(true);
    }
  });

  it('limits registrations per address', async () => {
    const { auth, clock } = setup({ registrations: 2 });
    await auth.login('One', 'pw', '10.0.0.1');
    await auth.login('Two', 'pw', '10.0.0.1');
    const refused = await refusal(auth.login('Three', 'pw', '10.0.0.1'));
    expect(refused.code).toBe('rate_limited');
    expect(refused.message).toMatch(/too many accounts registered from this address/);
    // Signing in is not registering; another address registers.
    expect((await auth.login('One', 'pw', '10.0.0.1')).created).toBe(false);
    expect((await auth.login('Three', 'pw', '10.0.0.2')).created).toBe(true);
    clock.now += 60 * WINDOW_MS + 1;
    expect((await auth.login('Four', 'pw', '10.0.0.1')).created).toBe(true);
  });

  it('suggests a valid name that nobody has', async () => {
    const { auth, users } = setup();
    const name = await auth.suggestUsername();
    expect(name).toMatch(USERNAME_PATTERN);
    expect(await users.findUserByName(name)).toBeNull();
  });
});

describe('names ignoring case', () => {
  it('signs "pablo" in as Pablo, and registers no second Pablo', async () => {
    const { auth } = setup();
    await auth.login('Pablo', 'secret', '10.0.0.1');
    expect(await auth.login('pablo', 'secret', '10.0.0.1')).toEqual({
      user: { id: '1', username: 'Pablo' },
      created: false,
      mustChangePassword: false,
    });
    expect(await refusal(auth.login('PABLO', 'other', '10.0.0.1'))).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/^the name "Pablo" is taken, and names are one name ignoring/),
    });
    // Pablo's own name with a wrong password is a wrong password, and both count as failures.
    expect((await refusal(auth.login('Pablo', 'other', '10.0.0.1'))).code).toBe(
      'invalid_credentials',
    );
  });

  it('counts a refused look-alike name as a failed sign-in', async () => {
    const { auth } = setup({ perPair: 2 });
    await auth.login('Pablo', 'secret', '10.0.0.1');
    await refusal(auth.login('pablo', 'guess1', '10.0.0.9'));
    await refusal(auth.login('PABLO', 'guess2', '10.0.0.9'));
    expect((await refusal(auth.login('pAbLo', 'secret', '10.0.0.9'))).code).toBe('rate_limited');
  });

  it('keeps older users whose names differ by case: each signs in by its exact name', async () => {
    const { auth, users } = setup();
    users.insertLegacyUser('mary', 'plain:lower');
    users.insertLegacyUser('Mary', 'plain:upper');
    expect((await auth.login('mary', 'lower', '10.0.0.1')).user).toEqual({
      id: '1',
      username: 'mary',
    });
    expect((await auth.login('Mary', 'upper', '10.0.0.1')).user).toEqual({
      id: '2',
      username: 'Mary',
    });
    // Any other spelling means the older one.
    expect(await users.idOfUsername('MARY')).toBe('1');
  });
});

describe('changing the password', () => {
  it('needs the current password, then only the new one works', async () => {
    const { auth } = setup();
    const { user } = await auth.login('Ada', 'old-secret', '10.0.0.1');
    expect(
      await refusal(auth.changePassword(user, 'wrong', 'new-secret', '10.0.0.1')),
    ).toMatchObject({ code: 'invalid_credentials', message: 'the current password is not right' });
    await auth.changePassword(user, 'old-secret', 'new-secret', '10.0.0.1');
    expect((await refusal(auth.login('Ada', 'old-secret', '10.0.0.1'))).code).toBe(
      'invalid_credentials',
    );
    expect((await auth.login('Ada', 'new-secret', '10.0.0.1')).created).toBe(false);
  });

  it('after an operator’s reset, asks for a change at sign-in until the user makes it', async () => {
    const { auth } = setup();
    const { user } = await auth.login('Ada', 'old-secret', '10.0.0.1');
    expect(await auth.resetPassword('ada', 'given-by-admin')).toEqual(user);
    expect(await auth.mustChangePassword(user.id)).toBe(true);
    expect(await auth.login('Ada', 'given-by-admin', '10.0.0.1')).toMatchObject({
      mustChangePassword: true,
    });
    await auth.changePassword(user, 'given-by-admin', 'own-secret', '10.0.0.1');
    expect(await auth.mustChangePassword(user.id)).toBe(false);
    expect(await auth.login('Ada', 'own-secret', '10.0.0.1')).toMatchObject({
      mustChangePassword: false,
    });
  });

  it('counts wrong current passwords like failed sign-ins', async () => {
    const { auth } = setup({ perPair: 2 });
    const { user } = await auth.login('Ada', 'secret', '10.0.0.1');
    await refusal(auth.changePassword(user, 'guess1', 'x', '10.0.0.1'));
    await refusal(auth.changePassword(user, 'guess2', 'x', '10.0.0.1'));
    expect((await refusal(auth.changePassword(user, 'secret', 'x', '10.0.0.1'))).code).toBe(
      'rate_limited',
    );
  });
});

describe('password changes per user', () => {
  it('are limited, right or wrong, and the wait is named', async () => {
    const { auth, clock } = setup({ passwordChanges: 2, perPair: 10 });
    const { user } = await auth.login('Ada', 'pw-0', '10.0.0.1');
    await auth.changePassword(user, 'pw-0', 'pw-1', '10.0.0.1');
    await refusal(auth.changePassword(user, 'typo', 'pw-2', '10.0.0.2'));
    const refused = await refusal(auth.changePassword(user, 'pw-1', 'pw-2', '10.0.0.3'));
    expect(refused).toMatchObject({ code: 'rate_limited', limit: 'password_change' });
    expect(refused.message).toMatch(/too many password changes for this user; try again in \d+ s/);
    clock.now += 60 * WINDOW_MS + 1;
    await auth.changePassword(user, 'pw-1', 'pw-2', '10.0.0.1');
    expect((await auth.login('Ada', 'pw-2', '10.0.0.1')).created).toBe(false);
  });
});
