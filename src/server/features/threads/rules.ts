/**
 * The thread rules: a reply answers a message of the same room (the sender may use the room, so
 * they can read it); replying to a reply joins the thread that reply is in, so threads are one
 * level deep and a reply's `replyTo` always names the thread's first message. A thread holds at
 * most `repliesMax` replies. Replies are ordinary messages of the room (the send limit counts
 * them, the demo's clients see them as messages); deleting the first message leaves its thread.
 */
import { THREAD_PAGE_SIZE_MAX } from '../../../protocol/limits.js';
import type {
  ChatMessage,
  SessionUser,
  ThreadPage,
  ThreadSummary,
} from '../../../protocol/models.js';
import { AppError, badRequest, notFound } from '../../kernel/errors.js';
import { scoreOfMessageId } from '../../kernel/message-ids.js';
import type {
  ListedReply,
  MessageLookup,
  RoomAccess,
  StoredSummary,
  ThreadStore,
} from './ports.js';

export interface ThreadPorts {
  threads: ThreadStore;
  rooms: RoomAccess;
  messages: MessageLookup;
  /** Replies one thread may hold (THREAD_REPLIES_MAX). */
  repliesMax: number;
}

const summaryOf = (roomId: string, messageId: string, stored: StoredSummary): ThreadSummary => ({
  roomId,
  messageId,
  replyCount: stored.count,
  lastReplyId: stored.lastReplyId,
  lastReplyAt: Math.floor(scoreOfMessageId(stored.lastReplyId) ?? 0),
});

/** Whether a listed reply comes before the cursor reply (score, then id, as Redis orders them). */
const before = (reply: ListedReply, cursorId: string, cursorScore: number) =>
  reply.score < cursorScore || (reply.score === cursorScore && reply.id < cursorId);

export class ThreadRules {
  constructor(private readonly ports: ThreadPorts) {}

  /**
   * The thread a new message replying to `replyTo` joins: the id of its first message. Refused
   * when that message is not in the room, or the thread is full. The caller has checked that the
   * sender may use the room. Checked before the reply is stored, so replies sent at the very
   * same moment may pass the cap by a few.
   */
  async threadOf(roomId: string, replyTo: string): Promise<string> {
    const parent = await this.ports.messages.findMessage(roomId, replyTo);
    if (!parent) throw notFound(`message ${replyTo} does not exist in room ${roomId}`);
    const rootId = parent.replyTo ?? parent.id;
    const count = await this.ports.threads.count(roomId, rootId);
    if (count >= this.ports.repliesMax) {
      throw new AppError(
        'limit_reached',
        `a thread can hold at most ${this.ports.repliesMax} replies; start a new message`,
      );
    }
    return rootId;
  }

  /** A reply was stored: it joins its thread, whose new summary is answered. */
  async replied(reply: ChatMessage): Promise<ThreadSummary | null> {
    if (!reply.replyTo) return null;
    const score = scoreOfMessageId(reply.id);
    if (score === null) return null;
    const stored = await this.ports.threads.addReply(reply.roomId, reply.replyTo, reply.id, score);
    return summaryOf(reply.roomId, reply.replyTo, stored);
  }

  /** The messages of a page of history, each thread's first message with its summary. */
  async withSummaries(roomId: string, messages: ChatMessage[]): Promise<ChatMessage[]> {
    if (messages.length === 0) return messages;
    const summaries = await this.ports.threads.summaries(
      roomId,
      messages.map((message) => message.id),
    );
    return messages.map((message, i) => {
      const stored = summaries[i];
      if (!stored) return message;
      const { replyCount, lastReplyId, lastReplyAt } = summaryOf(roomId, message.id, stored);
      return { ...message, replyCount, lastReplyId, lastReplyAt };
    });
  }

  /** A thread's first message and its newest replies (or those before `beforeId`), oldest first. */
  async read(
    reader: SessionUser,
    roomId: string,
    parentId: string,
    beforeId: string | undefined,
    size: number,
  ): Promise<ThreadPage> {
    const cursorScore = beforeId === undefined ? null : scoreOfMessageId(beforeId);
    if (beforeId !== undefined && cursorScore === null) {
      throw badRequest('before must be a message id');
    }
    const wanted = Math.min(size, THREAD_PAGE_SIZE_MAX);
    const [, parent, listed] = await Promise.all([
      this.ports.rooms.assertCanUseRoom(reader, roomId),
      this.ports.messages.findMessage(roomId, parentId),
      // A few more than asked: those at the cursor's own score that are not before it go.
      this.ports.threads.replies(roomId, parentId, cursorScore, wanted + 4),
    ]);
    const older =
      beforeId === undefined || cursorScore === null
        ? listed
        : listed.filter((reply) => before(reply, beforeId, cursorScore));
    if (!parent && older.length === 0 && beforeId === undefined) {
      throw notFound(`message ${parentId} does not exist in room ${roomId}`);
    }
    const page = older.slice(0, wanted);
    // A reply trimmed from the room (retention) is left out.
    const found = await Promise.all(
      page.map((reply) => this.ports.messages.findMessage(roomId, reply.id)),
    );
    const replies = found.filter((message): message is ChatMessage => message !== null).reverse();
    const [first] = parent ? await this.withSummaries(roomId, [parent]) : [null];
    return { parent: first ?? null, replies, hasOlder: older.length > wanted };
  }
}
