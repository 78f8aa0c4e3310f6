/** Names of Socket.IO rooms (in-memory groups of sockets, not chat rooms in Redis). */

/** Every socket of one user, on every instance. */
export const userChannel = (userId: string) => `user:${userId}`;
/** Every socket allowed to follow a chat room. */
export const roomChannel = (roomId: string) => `room:${roomId}`;
