/**
 * Group rooms: named rooms that any user creates, public ones listed in a directory that anyone
 * may join, private ones visible to their members only, who invite others. General stays the room
 * everyone is in and nobody leaves; private 1:1 rooms have exactly their two members.
 */
import type {
  DirectoryRoom,
  RoomSummary,
  RoomVisibility,
  SessionUser,
  UserPresence,
} from '../../protocol/models.js';
import { AppError, badRequest, notFound } from '../kernel/errors.js';
import type { GroupRoomInfo, GroupStore, PresenceStore, UserStore } from './ports.js';
import { isGeneralRoom, privateRoomMembers } from './rooms.js';

const DIRECTORY_LIMIT = 100;
/** General's member list (for @-suggestions) is everyone; past this many, only the first. */
const GENERAL_MEMBERS_LIMIT = 500;

export const groupRoomSummary = (info: GroupRoomInfo): RoomSummary => ({
  id: info.id,
  names: [info.name],
  kind: 'group',
  visibility: info.visibility,
});

export class GroupService {
  constructor(
    private readonly groups: GroupStore,
    private readonly users: UserStore,
    private readonly presence: PresenceStore,
  ) {}

  async create(
    requester: SessionUser,
    name: string,
    visibility: RoomVisibility,
  ): Promise<RoomSummary> {
    if (name.toLowerCase() === 'general')
      throw new AppError('conflict', 'a room named General already exists');
    const roomId = await this.groups.createGroupRoom(name, visibility, requester.id);
    if (roomId === null) throw new AppError('conflict', `a room named "${name}" already exists`);
    return groupRoomSummary({ id: roomId, name, visibility });
  }

  /** Public rooms whose name contains the search text, ignoring case. */
  async directory(requester: SessionUser, search: string): Promise<DirectoryRoom[]> {
    const needle = search.toLowerCase();
    const infos = (
      await Promise.all((await this.groups.publicRoomIds()).map((id) => this.groups.groupInfo(id)))
    )
      .filter(
        (info): info is GroupRoomInfo => info !== null && info.name.toLowerCase().includes(needle),
      )
      .sort((a, b) => a.name.localeCompare(b.name))
      .slice(0, DIRECTORY_LIMIT);
    const ids = infos.map((info) => info.id);
    const [counts, joined] = await Promise.all([
      this.groups.memberCounts(ids),
      Promise.all(ids.map((id) => this.groups.isMember(id, requester.id))),
    ]);
    return infos.map((info, i) => ({
      id: info.id,
      name: info.name,
      memberCount: counts[i] ?? 0,
      joined: joined[i] ?? false,
    }));
  }

  /** Joins a public room. A private room is invisible to non-members: it answers 404. */
  async join(
    requester: SessionUser,
    roomId: string,
  ): Promise<{ room: RoomSummary; added: boolean }> {
    const info = await this.groupOrFail(roomId);
    if (info.visibility === 'private' && !(await this.groups.isMember(roomId, requester.id))) {
      throw notFound(`room ${roomId} does not exist`);
    }
    return {
      room: groupRoomSummary(info),
      added: await this.groups.addMember(roomId, requester.id),
    };
  }

  async leave(requester: SessionUser, roomId: string): Promise<void> {
    if (isGeneralRoom(roomId))
      throw badRequest('General is the room everyone is in; it cannot be left');
    if (privateRoomMembers(roomId)) throw badRequest('a private conversation cannot be left');
    await this.groupOrFail(roomId);
    if (!(await this.groups.removeMember(roomId, requester.id))) {
      throw new AppError('not_member', `you are not a member of room ${roomId}`);
    }
  }

  /** A member brings another user into a group room. */
  async invite(
    requester: SessionUser,
    roomId: string,
    userId: string,
  ): Promise<{ room: RoomSummary; invitee: SessionUser; added: boolean }> {
    const info = await this.groupOrFail(roomId);
    if (!(await this.groups.isMember(roomId, requester.id))) {
      // Outsiders learn nothing about private rooms.
      if (info.visibility === 'private') throw notFound(`room ${roomId} does not exist`);
      throw new AppError('not_member', `only members of room ${roomId} can invite`);
    }
    const [username] = await this.users.usernames([userId]);
    if (!username) throw notFound(`user ${userId} does not exist`);
    const added = await this.groups.addMember(roomId, userId);
    return { room: groupRoomSummary(info), invitee: { id: userId, username }, added };
  }

  /** Members of a room the caller may use (the caller checks access first). */
  async members(roomId: string): Promise<UserPresence[]> {
    const direct = privateRoomMembers(roomId);
    const ids = isGeneralRoom(roomId)
      ? await this.users.firstUserIds(GENERAL_MEMBERS_LIMIT)
      : direct
        ? [direct.low, direct.high]
        : await this.groups.members(roomId);
    const [names, online] = await Promise.all([
      this.users.usernames(ids),
      this.presence.areOnline(ids),
    ]);
    const members: UserPresence[] = [];
    ids.forEach((id, i) => {
      const username = names[i];
      if (username) members.push({ id, username, online: online[i] ?? false });
    });
    return members.sort((a, b) => a.username.localeCompare(b.username));
  }

  private async groupOrFail(roomId: string): Promise<GroupRoomInfo> {
    const info = await this.groups.groupInfo(roomId);
    if (!info) throw notFound(`room ${roomId} is not a group room`);
    return info;
  }
}
