/**
 * The room rules. General is everyone's room and nobody leaves it. A private room belongs to
 * exactly its two members (its id names them) and shows up for both once it holds a message.
 * A group room is created by any user: a public one is listed in the directory and anyone may
 * join it; a private one is invisible to outsiders (it answers "does not exist") and members
 * invite others. Nobody lists another user's rooms, and the rules never trust an id the client
 * sends about itself.
 */
import type {
  DirectoryPage,
  RoomSummary,
  RoomVisibility,
  SessionUser,
  UserPresence,
} from '../../../protocol/models.js';
import { DIRECTORY_PAGE_SIZE_DEFAULT } from '../../../protocol/limits.js';
import { GENERAL_ROOM_ID } from '../../../protocol/models.js';
import {
  isGeneralRoom,
  isPrivateRoomMember,
  privateRoomId,
  privateRoomMembers,
} from '../../../protocol/room-ids.js';
import type { ChatEvents, DomainEvents } from '../../kernel/domain-events.js';
import { AppError, badRequest, forbidden, notFound, rateLimited } from '../../kernel/errors.js';
import {
  type TextProblem,
  nameSkeleton,
  normalizeText,
  textProblem,
} from '../../kernel/user-text.js';
import {
  decodeCursor,
  directoryEntriesOf,
  encodeCursor,
  foldForDirectory,
  roomIdOfEntry,
} from './directory-index.js';
import type {
  DirectoryStore,
  GroupRoomInfo,
  GroupStore,
  InviteCooldowns,
  OnlineStatus,
  RoomActivity,
  RoomContent,
  RoomLimits,
  RoomStore,
  UserLimiter,
  Users,
} from './ports.js';

export const GENERAL_FALLBACK_NAME = 'General';
/** General's member list (for @-suggestions) is everyone; past this many, only the first. */
const GENERAL_MEMBERS_LIMIT = 500;

/**
 * The one answer for a room the caller cannot know of: a private group they are not in gets
 * exactly what an id that was never used gets, so no answer tells that the group exists.
 */
const roomNotFound = (roomId: string) => notFound(`room ${roomId} does not exist`);

const ROOM_NAME_PROBLEMS: Record<TextProblem, string> = {
  control_characters: 'a room name cannot hold control characters',
  bidi_controls:
    'a room name cannot hold bidirectional override, embedding or isolate characters ' +
    '(U+202A–202E, U+2066–2069)',
  invisible_text: 'a room name needs a visible character',
};

/**
 * A room name as it is stored (NFC) and its skeleton, which says which names look alike; refused
 * when it holds characters that could make it lie about itself or others.
 */
export function checkRoomName(name: string): { name: string; skeleton: string } {
  const normalized = normalizeText(name.trim());
  const problem = textProblem(normalized, { allowLineBreaks: false });
  if (problem) throw new AppError(problem, ROOM_NAME_PROBLEMS[problem]);
  return { name: normalized, skeleton: nameSkeleton(normalized) };
}

export const groupRoomSummary = (info: GroupRoomInfo): RoomSummary => ({
  id: info.id,
  names: [info.name],
  kind: 'group',
  visibility: info.visibility,
});

/** What a directory page asks for (GET /rooms). */
export interface DirectoryQuery {
  search?: string | undefined;
  /** The `next` of the previous page of the same search. */
  after?: string | undefined;
  size?: number | undefined;
}

export interface RoomPorts {
  rooms: RoomStore;
  groups: GroupStore;
  directory: DirectoryStore;
  users: Users;
  online: OnlineStatus;
  activity: RoomActivity;
  events: DomainEvents<ChatEvents>;
  limits: RoomLimits;
  cooldowns: InviteCooldowns;
  content: RoomContent;
}

/** Messages removed per step while a room is deleted: each step holds one page. */
const DELETE_PAGE_SIZE = 500;

/** Refuses with rate_limited when the user's counter is spent; `doing` names what they did. */
async function consume(limiter: UserLimiter, userId: string, doing: string, limit: string) {
  const counted = await limiter.consume(userId);
  if (!counted.allowed) {
    const wait = counted.retryAfterS;
    throw rateLimited(`you are ${doing} too fast; wait ${wait} s`, wait, limit);
  }
}

export class RoomRules {
  constructor(private readonly ports: RoomPorts) {}

  // --- the user's rooms ----------------------------------------------------------------------

  /** Ids of the rooms the user belongs to (General included). */
  async roomIdsOf(requester: SessionUser): Promise<string[]> {
    const roomIds = await this.ports.rooms.roomIdsOf(requester.id);
    return roomIds.includes(GENERAL_ROOM_ID) ? roomIds : [GENERAL_ROOM_ID, ...roomIds];
  }

  /**
   * The caller's rooms with their newest message and unread counts. Its cost grows with the
   * rooms, so every read it needs leaves in the same tick (one write, one round trip for all
   * rooms), each room's unread counts are asked only when its newest message is after the read
   * marker, and a private room's members are named in one call for all of them.
   */
  async roomsOf(requester: SessionUser, userId: string): Promise<RoomSummary[]> {
    if (userId !== requester.id) throw forbidden('you can only list your own rooms');
    const roomIds = await this.roomIdsOf(requester);
    const memberIds = new Set<string>();
    const groupIds: string[] = [];
    for (const roomId of roomIds) {
      const members = privateRoomMembers(roomId);
      if (members) memberIds.add(members.low).add(members.high);
      else if (!isGeneralRoom(roomId)) groupIds.push(roomId);
    }
    const newestPromise = this.ports.activity.newestMessages(roomIds);
    const userIds = [...memberIds];
    const [names, visibilities, newest, unread, usernames] = await Promise.all([
      this.ports.rooms.roomNames(roomIds),
      this.ports.groups.visibilities(groupIds),
      newestPromise,
      this.ports.activity.unreadIn(
        requester.id,
        roomIds,
        newestPromise.then((messages) => messages.map((message) => message?.id ?? null)),
      ),
      this.ports.users.usernames(userIds),
    ]);
    const visibilityOf = new Map(groupIds.map((id, i) => [id, visibilities[i]]));
    const usernameOf = new Map(userIds.map((id, i) => [id, usernames[i]]));
    const rooms: RoomSummary[] = [];
    roomIds.forEach((roomId, i) => {
      const lastMessage = newest[i] ?? null;
      const name = names[i];
      let room: RoomSummary;
      if (isGeneralRoom(roomId)) {
        room = { id: roomId, names: [name ?? GENERAL_FALLBACK_NAME], kind: 'general' };
      } else if (name) {
        room = { id: roomId, names: [name], kind: 'group' };
        const visibility = visibilityOf.get(roomId);
        if (visibility) room.visibility = visibility;
      } else {
        const members = privateRoomMembers(roomId);
        // As in the seed, a private room shows up once it holds a message.
        if (!members || !lastMessage) return;
        const memberNames = [usernameOf.get(members.low), usernameOf.get(members.high)];
        room = {
          id: roomId,
          names: memberNames.filter((n): n is string => typeof n === 'string'),
          kind: 'direct',
        };
      }
      if (lastMessage) room.lastMessage = lastMessage;
      const state = unread[i];
      room.unread = state?.unread ?? 0;
      room.unreadMentions = state?.unreadMentions ?? 0;
      if (state?.lastReadId) room.lastReadId = state.lastReadId;
      rooms.push(room);
    });
    return rooms;
  }

  /** The name of a named room (General, groups); null for private rooms and unknown ids. */
  async roomName(roomId: string): Promise<string | null> {
    const [name] = await this.ports.rooms.roomNames([roomId]);
    return name ?? null;
  }

  // --- access --------------------------------------------------------------------------------

  /** Refuses unless the room exists and the user may read and post in it. */
  async assertCanUseRoom(requester: SessionUser, roomId: string): Promise<void> {
    if (isGeneralRoom(roomId)) return;
    const members = privateRoomMembers(roomId);
    if (members) {
      if (!isPrivateRoomMember(members, requester.id)) {
        throw forbidden(`room ${roomId} is a private room of other users`);
      }
      const other = members.low === requester.id ? members.high : members.low;
      const [name] = await this.ports.users.usernames([other]);
      if (!name) throw roomNotFound(roomId);
      return;
    }
    const [name] = await this.ports.rooms.roomNames([roomId]);
    if (!name) throw roomNotFound(roomId);
    if (!(await this.ports.rooms.isRoomMember(requester.id, roomId))) {
      const info = await this.ports.groups.groupInfo(roomId);
      if (info?.visibility === 'private') throw roomNotFound(roomId);
      throw new AppError('not_member', `you are not a member of room ${roomId}`);
    }
  }

  /** Whether a user is a member of a group room (false for any other room). */
  isGroupMember(roomId: string, userId: string): Promise<boolean> {
    return this.ports.groups.isMember(roomId, userId);
  }

  // --- private rooms -------------------------------------------------------------------------

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
    await this.ports.rooms.addPrivateRoom(roomId, user1, user2);
    return summary;
  }

  /**
   * A private room received its first message: it appears for both members, also when it was
   * never opened. Null for any other room.
   */
  async privateRoomStarted(roomId: string): Promise<RoomSummary | null> {
    const members = privateRoomMembers(roomId);
    if (!members) return null;
    await this.ports.rooms.addPrivateRoom(roomId, members.low, members.high);
    return this.privateRoomSummary(roomId, members.low, members.high);
  }

  private async privateRoomSummary(
    roomId: string,
    low: string,
    high: string,
  ): Promise<RoomSummary> {
    const names = await this.ports.users.usernames([low, high]);
    return {
      id: roomId,
      names: names.filter((name): name is string => name !== null),
      kind: 'direct',
    };
  }

  // --- group rooms ---------------------------------------------------------------------------

  async create(
    requester: SessionUser,
    name: string,
    visibility: RoomVisibility,
  ): Promise<RoomSummary> {
    const checked = checkRoomName(name);
    if (checked.skeleton === nameSkeleton(GENERAL_FALLBACK_NAME)) {
      throw new AppError('conflict', `"${checked.name}" looks like General, which already exists`);
    }
    // Counted once the name passed its checks: a typo costs no creation.
    await consume(this.ports.limits.creations, requester.id, 'creating rooms', 'room_create');
    const roomId = await this.ports.groups.createGroupRoom(
      checked.name,
      checked.skeleton,
      visibility,
      requester.id,
    );
    if (roomId === null) {
      throw new AppError(
        'conflict',
        `a public room named like "${checked.name}" already exists (names are compared ignoring ` +
          'case, full-width and other compatibility forms, and invisible characters)',
      );
    }
    if (visibility === 'public') {
      await this.ports.directory.list(directoryEntriesOf(roomId, checked.name));
    }
    return groupRoomSummary({ id: roomId, name: checked.name, visibility });
  }

  /**
   * A page of the public rooms with a word of their name starting with the search text (all of
   * them, each once, for an empty search), read from the directory's index: a page costs a fixed
   * number of commands, however many rooms there are.
   */
  async directory(
    requester: SessionUser,
    { search = '', after, size = DIRECTORY_PAGE_SIZE_DEFAULT }: DirectoryQuery,
  ): Promise<DirectoryPage> {
    const folded = foldForDirectory(search.trim());
    const from = after === undefined ? null : decodeCursor(after, folded);
    if (from === null && after !== undefined) {
      throw badRequest('after must be the `next` of a previous page of the same search');
    }
    const list = folded === '' ? 'names' : 'words';
    // One more than a page tells whether there is a next one.
    const entries = await this.ports.directory.range(list, folded, from, size + 1);
    const page = entries.slice(0, size);
    // A name with the search at two word starts has two entries: the room is listed once.
    const ids = [...new Set(page.map(roomIdOfEntry))].filter((id): id is string => id !== null);
    const { groups, rooms } = this.ports;
    const [names, counts, joined] = await Promise.all([
      rooms.roomNames(ids),
      groups.memberCounts(ids),
      rooms.areRoomMember(requester.id, ids),
    ]);
    const last = page.at(-1);
    return {
      rooms: ids.flatMap((id, i) => {
        const name = names[i];
        return name ? [{ id, name, memberCount: counts[i] ?? 0, joined: joined[i] ?? false }] : [];
      }),
      next: entries.length > size && last !== undefined ? encodeCursor(last) : null,
    };
  }

  /**
   * Builds the directory's index from the public rooms made before it existed, once per
   * database. Listing a room twice changes nothing, so instances starting together may both
   * build it; rooms created meanwhile are listed by create().
   */
  async prepareDirectory(): Promise<void> {
    const { directory } = this.ports;
    if (await directory.isBuilt()) return;
    for await (const batch of directory.publicRooms()) {
      await Promise.all(
        batch.map((room) => directory.list(directoryEntriesOf(room.id, room.name))),
      );
    }
    await directory.markBuilt();
  }

  /** Joins a public room. A private room is invisible to non-members: it answers 404. */
  async join(
    requester: SessionUser,
    roomId: string,
  ): Promise<{ room: RoomSummary; added: boolean }> {
    const info = await this.groupOrFail(roomId);
    if (
      info.visibility === 'private' &&
      !(await this.ports.groups.isMember(roomId, requester.id))
    ) {
      throw roomNotFound(roomId);
    }
    const [added] = await Promise.all([
      this.ports.groups.addMember(roomId, requester.id),
      this.ports.cooldowns.end(roomId, requester.id),
    ]);
    return { room: groupRoomSummary(info), added };
  }

  /** Leaves a group room; what the user kept about it (read marker, mentions) goes too. */
  async leave(requester: SessionUser, roomId: string): Promise<void> {
    if (isGeneralRoom(roomId)) {
      throw badRequest('General is the room everyone is in; it cannot be left');
    }
    if (privateRoomMembers(roomId)) throw badRequest('a private conversation cannot be left');
    const info = await this.groupOrFail(roomId);
    if (!(await this.ports.groups.removeMember(roomId, requester.id))) {
      if (info.visibility === 'private') throw roomNotFound(roomId);
      throw new AppError('not_member', `you are not a member of room ${roomId}`);
    }
    await this.ports.cooldowns.start(roomId, requester.id);
    await this.ports.events.emit('room.left', { roomId, userId: requester.id });
  }

  /**
   * Deletes a group room for good (the operator's; no user may). In an order that lets a delete
   * cut short be run again and finish: out of the directory first (nobody finds it), then each
   * member leaves it (what they kept about it goes: 'room.left'), then its info and members set
   * go (nobody may join it, nobody is in it) and `membersLeft` is told, so their clients drop it;
   * then its messages go a page at a time with what refers to them ('messages.removed'), then
   * every key still named after it, its name last: until then the room is found, to be deleted
   * again. General and private conversations are refused: they are not anyone's to delete.
   */
  async deleteRoom(
    roomId: string,
    membersLeft: (memberIds: string[]) => void,
  ): Promise<{ name: string; memberIds: string[]; messages: number }> {
    if (isGeneralRoom(roomId)) {
      throw badRequest('General is the room everyone is in; it cannot be deleted');
    }
    if (privateRoomMembers(roomId)) {
      throw badRequest(
        `room ${roomId} is a private conversation between two users; only group rooms can be deleted`,
      );
    }
    const { rooms, groups, directory, events, content } = this.ports;
    const [name] = await rooms.roomNames([roomId]);
    if (!name) throw notFound(`no room ${roomId}`);
    await directory.unlist(roomId, directoryEntriesOf(roomId, name));
    const memberIds = await groups.members(roomId);
    for (const userId of memberIds) {
      await groups.removeMember(roomId, userId);
      await events.emit('room.left', { roomId, userId });
    }
    await groups.forgetGroup(roomId, nameSkeleton(name));
    membersLeft(memberIds);
    let messages = 0;
    for (;;) {
      const removed = await content.removeMessages(roomId, DELETE_PAGE_SIZE);
      messages += removed;
      if (removed < DELETE_PAGE_SIZE) break;
    }
    await groups.purgeKeys(roomId);
    return { name, memberIds, messages };
  }

  /** A member brings another user into a group room. */
  async invite(
    requester: SessionUser,
    roomId: string,
    userId: string,
  ): Promise<{ room: RoomSummary; invitee: SessionUser; added: boolean }> {
    const info = await this.groupOrFail(roomId);
    if (!(await this.ports.groups.isMember(roomId, requester.id))) {
      // Outsiders learn nothing about private rooms.
      if (info.visibility === 'private') throw roomNotFound(roomId);
      throw new AppError('not_member', `only members of room ${roomId} can invite`);
    }
    const [[username], cooldownS] = await Promise.all([
      this.ports.users.usernames([userId]),
      this.ports.cooldowns.secondsLeft(roomId, userId),
    ]);
    if (!username) throw notFound(`user ${userId} does not exist`);
    if (cooldownS > 0) {
      throw new AppError(
        'recently_left',
        `${username} left room ${roomId} lately and cannot be invited back into it for ${cooldownS} s`,
        cooldownS,
      );
    }
    await consume(this.ports.limits.invites, requester.id, 'inviting', 'invite');
    const added = await this.ports.groups.addMember(roomId, userId);
    return { room: groupRoomSummary(info), invitee: { id: userId, username }, added };
  }

  /** Members of a room the caller may use, with their presence, by name. */
  async members(requester: SessionUser, roomId: string): Promise<UserPresence[]> {
    await this.assertCanUseRoom(requester, roomId);
    const direct = privateRoomMembers(roomId);
    const ids = isGeneralRoom(roomId)
      ? await this.ports.users.firstUserIds(GENERAL_MEMBERS_LIMIT)
      : direct
        ? [direct.low, direct.high]
        : await this.ports.groups.members(roomId);
    const [names, online] = await Promise.all([
      this.ports.users.usernames(ids),
      this.ports.online.areOnline(ids),
    ]);
    const members: UserPresence[] = [];
    ids.forEach((id, i) => {
      const username = names[i];
      if (username) members.push({ id, username, online: online[i] ?? false });
    });
    return members.sort((a, b) => a.username.localeCompare(b.username));
  }

  private async groupOrFail(roomId: string): Promise<GroupRoomInfo> {
    const info = await this.ports.groups.groupInfo(roomId);
    if (!info) throw roomNotFound(roomId);
    return info;
  }
}
