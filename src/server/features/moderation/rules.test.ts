import { describe, expect, it } from 'vitest';
import { refusal } from '../../testing/refusal.js';
import { MemoryBanStore, MemorySessionEnder, MemoryUserNames } from './memory-store.js';
import { ModerationRules } from './rules.js';

const ada = { id: '1', username: 'Ada' };
const bruno = { id: '2', username: 'Bruno' };

function setup(admins = ['ada']) {
  const bans = new MemoryBanStore();
  const sessions = new MemorySessionEnder();
  const users = new MemoryUserNames({ '1': 'Ada', '2': 'Bruno', '3': 'Chen' });
  return { rules: new ModerationRules({ bans, sessions, users }, admins), bans, sessions };
}

describe('administrators', () => {
  it('are the users ADMIN_USERS names, ignoring case', () => {
    const { rules } = setup(['ada', 'CHEN']);
    expect(rules.isAdmin(ada)).toBe(true);
    expect(rules.isAdmin({ username: 'chen' })).toBe(true);
    expect(rules.isAdmin(bruno)).toBe(false);
    expect(setup([]).rules.isAdmin(ada)).toBe(false);
  });
});

describe('banning', () => {
  it('is for administrators only', async () => {
    const { rules, bans } = setup();
    expect(await refusal(rules.banAs(bruno, '3'))).toMatchObject({
      code: 'forbidden',
      message: 'only an administrator may do this',
    });
    expect((await refusal(rules.unbanAs(bruno, '3'))).code).toBe('forbidden');
    expect(await bans.bannedUserIds()).toEqual([]);
  });

  it('ends the user’s sessions and refuses their sign-in until unbanned', async () => {
    const { rules, sessions } = setup();
    await rules.assertMaySignIn('3');
    expect(await rules.banAs(ada, '3')).toEqual({ userId: '3', username: 'Chen', changed: true });
    expect(sessions.ended).toEqual([{ userId: '3', reason: 'banned' }]);
    expect(await refusal(rules.assertMaySignIn('3'))).toMatchObject({
      code: 'banned',
      message: 'this account is banned: an administrator must lift the ban',
    });
    // Again: nothing changes, but any session begun meanwhile ends too.
    expect((await rules.ban('3')).changed).toBe(false);
    expect(sessions.ended).toHaveLength(2);
    expect(await rules.unbanAs(ada, '3')).toEqual({ userId: '3', username: 'Chen', changed: true });
    await rules.assertMaySignIn('3');
    expect((await rules.unban('3')).changed).toBe(false);
  });

  it('refuses an unknown user, oneself and an administrator', async () => {
    const { rules, sessions } = setup(['ada', 'chen']);
    expect(await refusal(rules.banAs(ada, '9'))).toMatchObject({
      code: 'not_found',
      message: 'user 9 does not exist',
    });
    expect((await refusal(rules.banAs(ada, '1'))).message).toBe('you cannot ban yourself');
    expect(await refusal(rules.ban('3'))).toMatchObject({
      code: 'forbidden',
      message: 'Chen is an administrator; remove them from ADMIN_USERS first',
    });
    expect(sessions.ended).toEqual([]);
  });
});
