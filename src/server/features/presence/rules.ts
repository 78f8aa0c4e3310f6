/** Who is there: users with their presence, as GET /users and GET /users/online answer. */
import type { UserPresence } from '../../../protocol/models.js';
import type { PresenceStore, UserNames } from './ports.js';

export class PresenceDirectory {
  constructor(
    private readonly presence: Pick<PresenceStore, 'areOnline' | 'onlineUserIds'>,
    private readonly users: UserNames,
  ) {}

  /** Users by id, keyed by id, with their presence; unknown ids are left out. */
  async usersByIds(userIds: string[]): Promise<Record<string, UserPresence>> {
    const unique = [...new Set(userIds)];
    const [names, online] = await Promise.all([
      this.users.usernames(unique),
      this.presence.areOnline(unique),
    ]);
    const result: Record<string, UserPresence> = {};
    unique.forEach((id, i) => {
      const username = names[i];
      if (username) result[id] = { id, username, online: online[i] ?? false };
    });
    return result;
  }

  /** The users online now, keyed by id. */
  async onlineUsers(): Promise<Record<string, UserPresence>> {
    const ids = await this.presence.onlineUserIds();
    const names = await this.users.usernames(ids);
    const result: Record<string, UserPresence> = {};
    ids.forEach((id, i) => {
      const username = names[i];
      if (username) result[id] = { id, username, online: true };
    });
    return result;
  }
}
