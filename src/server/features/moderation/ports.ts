/**
 * What moderation needs from the outside world: where bans are kept, how a user's sessions end
 * (on every instance), and the users' names. The rules never see Redis.
 */
export interface BanStore {
  /** Answers false when the user was banned already. */
  ban(userId: string): Promise<boolean>;
  /** Answers false when the user was not banned. */
  unban(userId: string): Promise<boolean>;
  isBanned(userId: string): Promise<boolean>;
  bannedUserIds(): Promise<string[]>;
}

/** Ends sessions wherever their sockets and streams are (kernel/sessions/session-ending.ts). */
export interface SessionEnder {
  endSessionsOf(userId: string, reason: 'banned'): Promise<unknown>;
}

/** Users' names by id, null for ids with no user (the auth feature's user store). */
export interface UserNames {
  usernames(userIds: string[]): Promise<(string | null)[]>;
}
