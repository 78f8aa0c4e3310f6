/** What resolving and counting mentions needs. */

/** Who is who: names to ids (auth) and group membership (rooms). */
export interface MentionDirectory {
  idOfUsername(username: string): Promise<string | null>;
  isGroupMember(roomId: string, userId: string): Promise<boolean>;
}

/** Per room and user, the ids of the messages that mention them, scored like the messages. */
export interface MentionIndex {
  add(roomId: string, messageId: string, score: number, userIds: string[]): Promise<void>;
  remove(roomId: string, messageId: string, userIds: string[]): Promise<void>;
  /** Mentions of the user in the room with a score above the given one. */
  countAfter(roomId: string, userId: string, score: number): Promise<number>;
  /** Forgets every mention of the user in the room (they left it). */
  forget(roomId: string, userId: string): Promise<void>;
}
