/** In-memory versions of the thread ports, for the unit tests of the rules. */
import type { ListedReply, ThreadStore } from './ports.js';

export class MemoryThreadStore implements ThreadStore {
  /** `{roomId}/{parentId}` -> replies, oldest first. */
  readonly threads = new Map<string, ListedReply[]>();

  async addReply(roomId: string, parentId: string, replyId: string, score: number) {
    const key = `${roomId}/${parentId}`;
    const replies = this.threads.get(key) ?? [];
    if (!replies.some((reply) => reply.id === replyId)) replies.push({ id: replyId, score });
    replies.sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : 1));
    this.threads.set(key, replies);
    return { count: replies.length, lastReplyId: replies.at(-1)!.id };
  }

  async forget(roomId: string, messageIds: string[]) {
    for (const id of messageIds) this.threads.delete(`${roomId}/${id}`);
  }

  async count(roomId: string, parentId: string) {
    return this.threads.get(`${roomId}/${parentId}`)?.length ?? 0;
  }

  async summaries(roomId: string, messageIds: string[]) {
    return messageIds.map((id) => {
      const replies = this.threads.get(`${roomId}/${id}`);
      return replies?.length ? { count: replies.length, lastReplyId: replies.at(-1)!.id } : null;
    });
  }

  async replies(roomId: string, parentId: string, maxScore: number | null, size: number) {
    return (this.threads.get(`${roomId}/${parentId}`) ?? [])
      .filter((reply) => maxScore === null || reply.score <= maxScore)
      .reverse()
      .slice(0, size);
  }
}

export { MemoryRoomAccess, MemoryMessages } from '../../testing/memory-ports.js';
