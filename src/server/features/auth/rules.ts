/**
 * Signing in, which doubles as registration (the seed's rule): an unknown name is created with the
 * given password, a known one must match. Names are one name ignoring case: "pablo" with Pablo's
 * password signs in as Pablo, with another one it is refused as a taken name (conflict), also
 * when two registrations of "Ann" and "ann" race.
 *
 * Failed sign-ins are limited so that passwords cannot be guessed at speed, without letting an
 * attacker lock the owner out:
 * - per client address and username: one address's guesses at one name (the owner's own
 *   address has its own budget, which another address cannot spend);
 * - per client address over every name: one address trying many names;
 * - per username from all addresses, over a longer window: guessing spread over many
 *   addresses. Past that ceiling every address gets a single failure per window for the name,
 *   which slows such guessing to a crawl while the owner, who types the right password,
 *   still gets in from anywhere.
 * Registrations are limited per address and hour; they never fail on a password.
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
  /** The password is one an operator reset: the user must choose their own first. */
  mustChangePassword: boolean;
}

export interface AuthLimits {
  /** Keyed `{address}|{folded name}`. */
  failuresByIpAndUsername: RateLimiter;
  failuresByIp: RateLimiter;
  /** Keyed by the folded name; over a longer window. */
  failuresByUsername: RateLimiter;
  /** Accounts created per address; null when registrations are not limited. */
  registrationsByIp: RateLimiter | null;
  /** Password changes per user (each costs two bcrypt hashes). */
  passwordChangesByUser: RateLimiter;
}

/** How names compare: ignoring case. */
export const foldUsername = (username: string) => username.toLowerCase();

/** Failures one address may have on a name that many addresses are guessing at. */
const FAILURES_PER_IP_ON_A_GUESSED_NAME = 1;

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
      await this.countRegistration(clientIp);
      const hash = await this.passwords.hash(password, clientIp);
      const created = await this.users.insertUser(username, hash);
      if (created) {
        return { user: { id: created.id, username }, created: true, mustChangePassword: false };
      }
      // Someone registered the same name a moment ago: treat this as signing in to that account.
    }
    const user = existing ?? (await this.users.findUserByName(username));
    if (user && (await this.passwords.verify(password, user.passwordHash, clientIp))) {
      // The owner's address starts afresh; the name's own count stays, or a correct sign-in
      // would hand a distributed guesser a fresh ceiling.
      await this.limits.failuresByIpAndUsername.reset(this.addressAndName(clientIp, username));
      return {
        user: { id: user.id, username: user.username },
        created: false,
        mustChangePassword: user.mustChangePassword,
      };
    }
    await this.countFailure(username, clientIp);
    if (user && user.username !== username) {
      // Most likely someone new picking a name that differs from a taken one by case only.
      throw new AppError(
        'conflict',
        `the name "${user.username}" is taken, and names are one name ignoring case: ` +
          'choose another one',
      );
    }
    throw new AppError('invalid_credentials', 'Invalid username or password');
  }

  /**
   * Changes the signed-in user's password after checking the current one. Ending the user's
   * other sessions is the caller's part (it knows the sessions).
   */
  async changePassword(
    requester: SessionUser,
    currentPassword: string,
    newPassword: string,
    clientIp: string,
  ): Promise<void> {
    await this.refuseIfBlocked(requester.username, clientIp);
    const counted = await this.limits.passwordChangesByUser.consume(requester.id);
    if (!counted.allowed) {
      throw rateLimited(
        `too many password changes for this user; try again in ${counted.retryAfterS} s`,
        counted.retryAfterS,
        'password_change',
      );
    }
    const hash = await this.users.passwordHashOf(requester.id);
    if (!hash || !(await this.passwords.verify(currentPassword, hash, clientIp))) {
      await this.countFailure(requester.username, clientIp);
      throw new AppError('invalid_credentials', 'the current password is not right');
    }
    await this.users.setPasswordHash(
      requester.id,
      await this.passwords.hash(newPassword, clientIp),
    );
  }

  /**
   * The operator sets a user's password (command line): no current password and no limit, as
   * whoever runs the command line holds the database anyway. The operator knows that password,
   * so the user must change it at their next sign-in (changePassword clears the mark). Answers
   * the user's name, or null when no user has this one.
   */
  async resetPassword(username: string, newPassword: string): Promise<SessionUser | null> {
    const user = await this.users.findUserByName(username);
    if (!user) return null;
    await this.users.setPasswordHash(user.id, await this.passwords.hash(newPassword), true);
    return { id: user.id, username: user.username };
  }

  /** Whether the user must change their password before anything else. */
  mustChangePassword(userId: string): Promise<boolean> {
    return this.users.mustChangePassword(userId);
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

  private addressAndName(clientIp: string, username: string): string {
    return `${clientIp}|${foldUsername(username)}`;
  }

  private async refuseIfBlocked(username: string, clientIp: string) {
    const name = foldUsername(username);
    const pair = this.addressAndName(clientIp, username);
    const [byPair, byIp, byName, pairCount] = await Promise.all([
      this.limits.failuresByIpAndUsername.blockedFor(pair),
      this.limits.failuresByIp.blockedFor(clientIp),
      this.limits.failuresByUsername.blockedFor(name),
      this.limits.failuresByIpAndUsername.counted(pair),
    ]);
    if (byIp > 0) {
      throw rateLimited(
        `too many failed sign-ins from this address; try again in ${byIp} s`,
        byIp,
        'login_address',
      );
    }
    if (byPair > 0) {
      throw rateLimited(
        `too many failed sign-ins for this username from this address; try again in ${byPair} s`,
        byPair,
        'login_address_username',
      );
    }
    if (byName > 0 && pairCount.count >= FAILURES_PER_IP_ON_A_GUESSED_NAME) {
      const wait = Math.min(byName, pairCount.resetsInS);
      throw rateLimited(
        'this username is the target of many failed sign-ins, so each address gets one try; ' +
          `try again in ${wait} s`,
        wait,
        'login_username',
      );
    }
  }

  private async countFailure(username: string, clientIp: string) {
    await Promise.all([
      this.limits.failuresByIpAndUsername.consume(this.addressAndName(clientIp, username)),
      this.limits.failuresByIp.consume(clientIp),
      this.limits.failuresByUsername.consume(foldUsername(username)),
    ]);
  }

  private async countRegistration(clientIp: string) {
    const counted = await this.limits.registrationsByIp?.consume(clientIp);
    if (counted && !counted.allowed) {
      throw rateLimited(
        `too many accounts registered from this address; try again in ${counted.retryAfterS} s`,
        counted.retryAfterS,
        'registration',
      );
    }
  }
}
