/** What the typing rules need: a claim on announcing typing, shared by all of a user's sockets. */
export interface TypingStarts {
  /**
   * Claims the user's next typing start in the room: true when none was announced within the
   * interval (from any socket, on any instance), false when this one must be dropped.
   */
  claim(userId: string, roomId: string, intervalMs: number): Promise<boolean>;
}
