/**
 * Moderation: the administrators are the users named in ADMIN_USERS (ignoring case, as names
 * are one name ignoring case). An administrator may ban and unban users and delete anyone's
 * message (the messages feature asks `isAdmin`). A banned user cannot sign in, and banning ends
 * every session they have, so their open sockets and streams close on every instance at once.
 * The operator's command line acts without a requester: it is trusted as whoever runs it.
 */
import type { SessionUser } from '../../../protocol/models.js';
import { AppError, badRequest, forbidden, notFound } from '../../kernel/errors.js';
import type { BanStore, SessionEnder, UserNames } from './ports.js';

export interface ModerationPorts {
  bans: BanStore;
  sessions: SessionEnder;
  users: UserNames;
}

/** The outcome of a ban or unban: whether it changed anything. */
export interface BanChange {
  userId: string;
  username: string;
  changed: boolean;
}

export class ModerationRules {
  private readonly adminNames: ReadonlySet<string>;

  constructor(
    private readonly ports: ModerationPorts,
    adminUsernames: readonly string[],
  ) {
    this.adminNames = new Set(adminUsernames.map((name) => name.toLowerCase()));
  }

  isAdmin(user: Pick<SessionUser, 'username'>): boolean {
    return this.adminNames.has(user.username.toLowerCase());
  }

  assertAdmin(user: SessionUser): void {
    if (!this.isAdmin(user)) throw forbidden('only an administrator may do this');
  }

  /** Refuses a banned user's sign-in, after their password was checked. */
  async assertMaySignIn(userId: string): Promise<void> {
    if (await this.ports.bans.isBanned(userId)) {
      throw new AppError('banned', 'this account is banned: an administrator must lift the ban');
    }
  }

  /** An administrator bans a user from the web client. */
  async banAs(requester: SessionUser, userId: string): Promise<BanChange> {
    this.assertAdmin(requester);
    if (requester.id === userId) throw badRequest('you cannot ban yourself');
    return this.ban(userId);
  }

  async unbanAs(requester: SessionUser, userId: string): Promise<BanChange> {
    this.assertAdmin(requester);
    return this.unban(userId);
  }

  /**
   * Bans a user and ends their sessions. Sessions end even when the ban was already there: one
   * that began in the moment between the ban and its check is closed too.
   */
  async ban(userId: string): Promise<BanChange> {
    const username = await this.usernameOf(userId);
    if (this.isAdmin({ username })) {
      throw forbidden(`${username} is an administrator; remove them from ADMIN_USERS first`);
    }
    const changed = await this.ports.bans.ban(userId);
    await this.ports.sessions.endSessionsOf(userId, 'banned');
    return { userId, username, changed };
  }

  async unban(userId: string): Promise<BanChange> {
    const username = await this.usernameOf(userId);
    const changed = await this.ports.bans.unban(userId);
    return { userId, username, changed };
  }

  isBanned(userId: string): Promise<boolean> {
    return this.ports.bans.isBanned(userId);
  }

  bannedUserIds(): Promise<string[]> {
    return this.ports.bans.bannedUserIds();
  }

  private async usernameOf(userId: string): Promise<string> {
    const [username] = await this.ports.users.usernames([userId]);
    if (!username) throw notFound(`user ${userId} does not exist`);
    return username;
  }
}
