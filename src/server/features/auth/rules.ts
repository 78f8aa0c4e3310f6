/**
 * Signing in, which doubles as registration (the seed's rule): an unknown name is created with the
 * given password, a known one must match. Failed attempts are limited per client address and per
 * username so that passwords can't be guessed at speed, while registrations, which never fail on
 * the password, are not slowed down.
 */
import type { SessionUser } from '../../../protocol/models.js';
import { AppError, rateLimited } from '../../kernel/errors.js';
import type { PasswordHasher, RateLimiter, UserStore } from './ports.js';

const NAME_STEMS = [
  'Ada',
  'Alan',
  'Amara',
  'Bruno',
  'Chen',
  'Dara',
  'Elena',
  'Femi',
  'Grace',
  'Hugo',
  'Ines',
  'Jonas',
  'Kai',
  'Lena',
  'Mateo',
  'Nadia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sami',
  'Tara',
  'Umar',
  'Vera',
  'Wen',
  'Ximena',
  'Yuki',
  'Zoe',
];
const SUGGESTION_ATTEMPTS = 5;

export interface LoginResult {
  user: SessionUser;
  created: boolean;
}

export interface AuthLimits {
  failuresByIp: RateLimiter;
  failuresByUsername: RateLimiter;
}

export class AuthService {
  constructor(
    private readonly users: UserStore,
    private readonly passwords: PasswordHasher,
    private readonly limits: AuthLimits,
  ) {}

  async login(username: string, password: string, clientIp: string): Promise<LoginResult> {
    await this.refuseIfBlocked(username, clientIp);

    const existing = await this.users.findUserByName(username);
    if (!existing) {
      const created = await this.users.insertUser(username, await this.passwords.hash(password));
      if (created) return { user: { id: created.id, username }, created: true };
      // Someone registered the same name a moment ago: treat this as signing in to that account.
    }
    const user = existing ?? (await this.users.findUserByName(username));
    if (user && (await this.passwords.verify(password, user.passwordHash))) {
      await this.limits.failuresByUsername.reset(username.toLowerCase());
      return { user: { id: user.id, username: user.username }, created: false };
    }
    await this.countFailure(username, clientIp);
    throw new AppError('invalid_credentials', 'Invalid username or password');
  }

  /** A valid username that nobody has taken yet (as far as a few tries can tell). */
  async suggestUsername(): Promise<string> {
    let candidate = '';
    for (let attempt = 0; attempt < SUGGESTION_ATTEMPTS; attempt++) {
      const stem = NAME_STEMS[Math.floor(Math.random() * NAME_STEMS.length)] ?? 'Guest';
      candidate = `${stem}${Math.floor(Math.random() * 900 + 100)}`;
      if (!(await this.users.findUserByName(candidate))) break;
    }
    return candidate;
  }

  private async refuseIfBlocked(username: string, clientIp: string) {
    const [byIp, byName] = await Promise.all([
      this.limits.failuresByIp.blockedFor(clientIp),
      this.limits.failuresByUsername.blockedFor(username.toLowerCase()),
    ]);
    const wait = Math.max(byIp, byName);
    if (wait > 0) {
      throw rateLimited(
        byName >= byIp
          ? `too many failed sign-ins for this username; try again in ${wait} s`
          : `too many failed sign-ins from this address; try again in ${wait} s`,
        wait,
        byName >= byIp ? 'login_username' : 'login_address',
      );
    }
  }

  private async countFailure(username: string, clientIp: string) {
    await Promise.all([
      this.limits.failuresByIp.consume(clientIp),
      this.limits.failuresByUsername.consume(username.toLowerCase()),
    ]);
  }
}
