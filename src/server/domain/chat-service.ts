/**
 * The chat's rules: who may see which users and rooms, who may read and post where, and what a
 * stored message looks like. Transport code calls these use cases with the session's user; the
 * rules never trust an id the client sends about itself.
 */
import type {
  ChatMessage,
  PreloadedRoom,
  ReadMarker,
  RoomSummary,
  SessionUser,
  UserPresence,
} from '../../protocol/models.js';
import { GENERAL_ROOM_ID } from '../../protocol/models.js';
import { PAGE_SIZE_MAX } from '../../protocol/limits.js';
import { AppError, badRequest, forbidden, notFound, rateLimited } from '../kernel/errors.js';
import {
  type StoredMessage,
  decodeMessage,
  decodeMessages,
  encodeMessage,
} from './message-codec.js';
import { MessageClock, newMessageId, scoreOfMessageId, scoreOfMicros } from './message-ids.js';
import { mentionedUsernames } from './mentions.js';
import type {
  ExtraPublish,
  GroupStore,
  LimitedMessageStore,
  MessageStore,
  PresenceStore,
  ReadStore,
  RoomStore,
  UserStore,
} from './ports.js';
import { isGeneralRoom, isPrivateRoomMember, privateRoomId, privateRoomMembers } from './rooms.js';

export interface ChatStores {
  users: UserStore;
  rooms: RoomStore;
  messages: MessageStore;
  presence: PresenceStore;
  groups: GroupStore;
  reads: ReadStore;
}

/** What posting a message produced, for the transport to deliver. */
export interface PostedMessage {
  message: ChatMessage;
  /** Set when this was a private room's first message: its members must be shown the room. */
  newPrivateRoom: RoomSummary | null;
  /** The two members of a private room, null for rooms everyone may see. */
  privateMembers: [string, string] | null;
}

/** A PUBLISH to send with a new message, in the transaction that stores it (see interop/). */
export type PublishWithMessage = (message: ChatMessage) => ExtraPublish | null;

const GENERAL_FALLBACK_NAME = 'General';
const PRELOAD_SIZE = 20;

export class ChatService {
  private readonly clock = new MessageClock();

  constructor(
    private readonly stores: ChatStores,
    private readonly posting: LimitedMessageStore,
    private readonly publishWithMessage: PublishWithMessage = () => null,
  ) {}

  // --- users ---------------------------------------------------------------------------------

  async usersByIds(userIds: string[]): Promise<Record<string, UserPresence>> {
    const unique = [...new Set(userIds)];
    const [names, online] = await Promise.all([
      this.stores.users.usernames(unique),
      this.stores.presence.areOnline(unique),
    ]);
    const result: Record<string, UserPresence> = {};
    unique.forEach((id, i) => {
      const username = names[i];
      if (username) result[id] = { id, username, online: online[i] ?? false };
    });
    return result;
  }

  async onlineUsers(): Promise<Record<string, UserPresence>> {
    const ids = await this.stores.presence.onlineUserIds();
    const names = await this.stores.users.usernames(ids);
    const result: Record<string, UserPresence> = {};
    ids.forEach((id, i) => {
      const username = names[i];
      if (username) result[id] = { id, username, online: true };
    });
    return result;
  }

  // --- rooms ---------------------------------------------------------------------------------

  /** Ids of the rooms the user belongs to (General included). */
  async roomIdsOf(requester: SessionUser): Promise<string[]> {
    const roomIds = await this.stores.rooms.roomIdsOf(requester.id);
    return roomIds.includes(GENERAL_ROOM_ID) ? roomIds : [GENERAL_ROOM_ID, ...roomIds];
  }

  /** The caller's rooms with their unread counts; nobody may list another user's rooms. */
  async roomsOf(requester: SessionUser, userId: string): Promise<RoomSummary[]> {
    if (userId !== requester.id) throw forbidden('you can only list your own rooms');
    const roomIds = await this.roomIdsOf(requester);
    const [names, newest, markers] = await Promise.all([
      this.stores.rooms.roomNames(roomIds),
      this.stores.messages.newestMessages(roomIds),
      this.stores.reads.readMarkers(requester.id, roomIds),
    ]);

    const rooms = await Promise.all(
      roomIds.map(async (roomId, i): Promise<RoomSummary | null> => {
        const stored = newest[i] ?? null;
        const lastMessage = stored ? decodeMessage(stored, roomId) : null;
        const name = names[i];
        let room: RoomSummary;
        if (isGeneralRoom(roomId)) {
          room = { id: roomId, names: [name ?? GENERAL_FALLBACK_NAME], kind: 'general' };
        } else if (name) {
          const info = await this.stores.groups.groupInfo(roomId);
          room = { id: roomId, names: [name], kind: 'group' };
          if (info) room.visibility = info.visibility;
        } else {
          const members = privateRoomMembers(roomId);
          // As in the seed, a private room shows up once it holds a message.
          if (!members || !lastMessage) return null;
          room = await this.privateRoomSummary(roomId, members.low, members.high);
        }
        if (lastMessage) room.lastMessage = lastMessage;
        return this.withUnread(room, requester.id, markers[i] ?? null);
      }),
    );
    return rooms.filter((room): room is RoomSummary => room !== null);
  }

  private async withUnread(room: RoomSummary, userId: string, marker: string | null) {
    const readScore = (marker ? scoreOfMessageId(marker) : null) ?? 0;
    const [unread, unreadMentions] = await Promise.all([
      this.stores.reads.countAfter(room.id, readScore),
      this.stores.reads.mentionsAfter(room.id, userId, readScore),
    ]);
    const result: RoomSummary = { ...room, unread, unreadMentions };
    if (marker) result.lastReadId = marker;
    return result;
  }

  /** Opens (idempotently) the private room between the caller and another user. */
  async openPrivateRoom(
    requester: SessionUser,
    user1: string,
    user2: string,
  ): Promise<RoomSummary> {
    if (user1 === user2) throw badRequest('user1 and user2 must be two different users');
    if (requester.id !== user1 && requester.id !== user2) {
      throw forbidden('you can only open a private room that you are in');
    }
    const other = requester.id === user1 ? user2 : user1;
    const roomId = privateRoomId(user1, user2);
    const summary = await this.privateRoomSummary(
      roomId,
      ...(roomId.split(':') as [string, string]),
    );
    if (summary.names.length < 2) throw notFound(`user ${other} does not exist`);
    await this.stores.rooms.addPrivateRoom(roomId, user1, user2);
    return summary;
  }

  /** Refuses unless the room exists and the user may read and post in it. */
  async assertCanUseRoom(requester: SessionUser, roomId: string): Promise<void> {
    if (isGeneralRoom(roomId)) return;
    const members = privateRoomMembers(roomId);
    if (members) {
      if (!isPrivateRoomMember(members, requester.id)) {
        throw forbidden(`room ${roomId} is a private room of other users`);
      }
      const other = members.low === requester.id ? members.high : members.low;
      const [name] = await this.stores.users.usernames([other]);
      if (!name) throw notFound(`room ${roomId} does not exist`);
      return;
    }
    const [name] = await this.stores.rooms.roomNames([roomId]);
    if (!name) throw notFound(`room ${roomId} does not exist`);
    if (!(await this.stores.rooms.isRoomMember(requester.id, roomId))) {
      throw new AppError('not_member', `you are not a member of room ${roomId}`);
    }
  }

  // --- messages ------------------------------------------------------------------------------

  /** A page counted from the newest message, newest first (the seed's order). */
  async readPage(requester: SessionUser, roomId: string, offset: number, size: number) {
    // The access check and the read leave together, in one round trip instead of two; the page
    // is only decoded and returned once the check has passed.
    const [, stored] = await Promise.all([
      this.assertCanUseRoom(requester, roomId),
      this.stores.messages.readNewestFirst(roomId, offset, size),
    ]);
    return decodeMessages(stored, roomId);
  }

  /** The messages after a known one, oldest first: what a client missed while disconnected. */
  async readAfter(requester: SessionUser, roomId: string, afterId: string, size: number) {
    await this.assertCanUseRoom(requester, roomId);
    const score = scoreOfMessageId(afterId);
    if (score === null) throw badRequest('after must be a message id');
    // Read from the same score inclusive: another instance may have used the same microsecond.
    const stored = await this.stores.messages.readFromScore(
      roomId,
      score,
      Math.min(size + 1, PAGE_SIZE_MAX + 1),
    );
    const messages = decodeMessages(stored, roomId);
    const seen = messages.findIndex((message) => message.id === afterId);
    const after =
      seen >= 0
        ? messages.slice(seen + 1)
        : messages.filter((m) => scoreOfMessageId(m.id) !== score);
    return after.slice(0, size);
  }

  async preloadGeneral(requester: SessionUser): Promise<PreloadedRoom> {
    const [names, messages] = await Promise.all([
      this.stores.rooms.roomNames([GENERAL_ROOM_ID]),
      this.readPage(requester, GENERAL_ROOM_ID, 0, PRELOAD_SIZE),
    ]);
    return { id: GENERAL_ROOM_ID, name: names[0] ?? GENERAL_FALLBACK_NAME, messages };
  }

  /**
   * Stores a message from the session's user. The caller has checked access to the room with
   * assertCanUseRoom (once per connection and room). Author and date come from here, never
   * from the client.
   */
  async postMessage(author: SessionUser, roomId: string, text: string): Promise<PostedMessage> {
    const mentions = await this.resolveMentions(roomId, text);
    const micros = this.clock.nextMicros();
    const message: ChatMessage = {
      id: newMessageId(micros),
      from: author.id,
      date: Math.floor(micros / 1e6),
      message: text,
      roomId,
    };
    if (mentions.length > 0) message.mentions = mentions;
    const score = scoreOfMicros(micros);
    const posted = await this.posting.appendWithinLimit({
      authorId: author.id,
      roomId,
      messageId: message.id,
      encoded: encodeMessage(message),
      score,
      alsoPublish: this.publishWithMessage(message),
    });
    if (!posted.allowed) {
      const wait = posted.retryAfterS;
      throw rateLimited(`you are sending too fast; wait ${wait} s`, wait);
    }
    // Only once stored: a refused send must leave no mention behind.
    if (mentions.length > 0) {
      await this.stores.reads.addMentions(roomId, message.id, score, mentions);
    }
    const members = privateRoomMembers(roomId);
    let newPrivateRoom: RoomSummary | null = null;
    if (members && posted.roomSize === 1) {
      // The first message makes the room appear for both members, also when it was never opened.
      await this.stores.rooms.addPrivateRoom(roomId, members.low, members.high);
      newPrivateRoom = await this.privateRoomSummary(roomId, members.low, members.high);
    }
    return {
      message,
      newPrivateRoom,
      privateMembers: members ? [members.low, members.high] : null,
    };
  }

  /** Changes the text of the author's own message. */
  async editMessage(author: SessionUser, roomId: string, id: string, text: string) {
    const { stored, message } = await this.ownMessage(author, roomId, id);
    if (message.deleted) throw badRequest('a deleted message cannot be edited');
    const mentions = await this.resolveMentions(roomId, text);
    const edited: ChatMessage = { ...message, message: text, edited: true };
    delete edited.mentions;
    if (mentions.length > 0) edited.mentions = mentions;
    await this.replace(roomId, stored, edited);
    await this.stores.reads.removeMentions(roomId, id, message.mentions ?? []);
    await this.stores.reads.addMentions(roomId, id, stored.score, mentions);
    return edited;
  }

  /** Deletes the author's own message: it stays in place as a placeholder without text. */
  async deleteMessage(author: SessionUser, roomId: string, id: string) {
    const { stored, message } = await this.ownMessage(author, roomId, id);
    if (message.deleted) return message;
    const deleted: ChatMessage = { ...message, message: '', deleted: true };
    delete deleted.mentions;
    delete deleted.edited;
    await this.replace(roomId, stored, deleted);
    await this.stores.reads.removeMentions(roomId, id, message.mentions ?? []);
    return deleted;
  }

  /** Moves the user's read marker forward to a message (never back). */
  async markRead(requester: SessionUser, roomId: string, messageId: string): Promise<ReadMarker> {
    await this.assertCanUseRoom(requester, roomId);
    const score = scoreOfMessageId(messageId);
    if (score === null) throw badRequest('messageId must be a message id');
    const [current] = await this.stores.reads.readMarkers(requester.id, [roomId]);
    const currentScore = current ? scoreOfMessageId(current) : null;
    if (current && currentScore !== null && currentScore >= score) {
      return { roomId, lastReadId: current };
    }
    await this.stores.reads.setReadMarker(requester.id, roomId, messageId);
    return { roomId, lastReadId: messageId };
  }

  private async ownMessage(author: SessionUser, roomId: string, id: string) {
    await this.assertCanUseRoom(author, roomId);
    const score = scoreOfMessageId(id);
    const candidates = score === null ? [] : await this.stores.reads.messagesAtScore(roomId, score);
    for (const stored of candidates) {
      const message = decodeMessage(stored, roomId);
      if (message?.id !== id) continue;
      if (message.from !== author.id) {
        throw new AppError('not_author', 'you can only change your own messages');
      }
      return { stored, message };
    }
    throw notFound(`message ${id} does not exist in room ${roomId}`);
  }

  private async replace(roomId: string, stored: StoredMessage, message: ChatMessage) {
    const replaced = await this.stores.reads.replaceMessage(roomId, stored, encodeMessage(message));
    if (!replaced) throw new AppError('conflict', 'the message changed meanwhile; try again');
  }

  /** Ids of the room's members named as `@username` in the text. */
  private async resolveMentions(roomId: string, text: string): Promise<string[]> {
    const names = mentionedUsernames(text);
    if (names.length === 0) return [];
    const found = await Promise.all(names.map((name) => this.stores.users.idOfUsername(name)));
    const ids = [...new Set(found)].filter((id): id is string => id !== null);
    if (isGeneralRoom(roomId)) return ids;
    const direct = privateRoomMembers(roomId);
    if (direct) return ids.filter((id) => isPrivateRoomMember(direct, id));
    // A group: ask about the few people named, not for the whole member list.
    const member = await Promise.all(ids.map((id) => this.stores.groups.isMember(roomId, id)));
    return ids.filter((_, i) => member[i]);
  }

  private async privateRoomSummary(
    roomId: string,
    low: string,
    high: string,
  ): Promise<RoomSummary> {
    const names = await this.stores.users.usernames([low, high]);
    return {
      id: roomId,
      names: names.filter((name): name is string => name !== null),
      kind: 'direct',
    };
  }
}
