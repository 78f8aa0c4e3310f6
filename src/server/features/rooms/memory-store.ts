/** In-memory versions of the room ports, for the unit tests of the rules. */
import type { ChatMessage, RoomVisibility } from '../../../protocol/models.js';
import type {
  DirectoryStore,
  GroupRoomInfo,
  GroupStore,
  InviteCooldowns,
  OnlineStatus,
  RoomActivity,
  RoomStore,
  UnreadState,
  Users,
} from './ports.js';

export class MemoryRoomStore implements RoomStore, GroupStore, DirectoryStore {
  private readonly roomsOfUser = new Map<string, Set<string>>();
  private readonly names = new Map<string, string>([['0', 'General']]);
  private readonly infos = new Map<string, GroupRoomInfo>();
  private readonly membersOf = new Map<string, Set<string>>();
  private lastRoomId = 0;

  async roomIdsOf(userId: string): Promise<string[]> {
    return [...this.setOf(this.roomsOfUser, userId)];
  }

  async isRoomMember(userId: string, roomId: string): Promise<boolean> {
    return this.setOf(this.roomsOfUser, userId).has(roomId);
  }

  async areRoomMember(userId: string, roomIds: string[]): Promise<boolean[]> {
    return roomIds.map((id) => this.setOf(this.roomsOfUser, userId).has(id));
  }

  async roomNames(roomIds: string[]): Promise<(string | null)[]> {
    return roomIds.map((id) => this.names.get(id) ?? null);
  }

  async addPrivateRoom(roomId: string, userA: string, userB: string): Promise<void> {
    this.setOf(this.roomsOfUser, userA).add(roomId);
    this.setOf(this.roomsOfUser, userB).add(roomId);
  }

  /** Skeletons of public rooms' names. */
  private readonly publicSkeletons = new Set<string>();

  async createGroupRoom(
    name: string,
    skeleton: string,
    visibility: RoomVisibility,
    creatorId: string,
  ) {
    if (this.publicSkeletons.has(skeleton)) return null;
    if (visibility === 'public') this.publicSkeletons.add(skeleton);
    const id = String(++this.lastRoomId);
    this.infos.set(id, { id, name, visibility });
    this.names.set(id, name);
    await this.addMember(id, creatorId);
    return id;
  }

  async groupInfo(roomId: string): Promise<GroupRoomInfo | null> {
    return this.infos.get(roomId) ?? null;
  }

  async visibilities(roomIds: string[]): Promise<(RoomVisibility | null)[]> {
    return roomIds.map((id) => this.infos.get(id)?.visibility ?? null);
  }

  async addMember(roomId: string, userId: string): Promise<boolean> {
    const members = this.setOf(this.membersOf, roomId);
    const added = !members.has(userId);
    members.add(userId);
    this.setOf(this.roomsOfUser, userId).add(roomId);
    return added;
  }

  async removeMember(roomId: string, userId: string): Promise<boolean> {
    this.setOf(this.roomsOfUser, userId).delete(roomId);
    return this.setOf(this.membersOf, roomId).delete(userId);
  }

  async members(roomId: string): Promise<string[]> {
    return [...this.setOf(this.membersOf, roomId)];
  }

  async isMember(roomId: string, userId: string): Promise<boolean> {
    return this.setOf(this.membersOf, roomId).has(userId);
  }

  async memberCounts(roomIds: string[]): Promise<number[]> {
    return roomIds.map((id) => this.setOf(this.membersOf, id).size);
  }

  async forgetGroup(roomId: string, skeleton: string): Promise<void> {
    this.infos.delete(roomId);
    this.membersOf.delete(roomId);
    this.publicSkeletons.delete(skeleton);
  }

  async purgeKeys(roomId: string): Promise<number> {
    return this.names.delete(roomId) ? 1 : 0;
  }

  // --- the directory's index (code-unit order stands for Redis's byte order) ------------------

  private readonly lists = { names: new Set<string>(), words: new Set<string>() };
  private built = false;

  async list(entries: { name: string; words: string[] }): Promise<void> {
    this.lists.names.add(entries.name);
    for (const entry of entries.words) this.lists.words.add(entry);
  }

  async range(list: 'names' | 'words', prefix: string, after: string | null, count: number) {
    return [...this.lists[list]]
      .filter((entry) => entry.startsWith(prefix) && (after === null || entry > after))
      .sort()
      .slice(0, count);
  }

  async unlist(_roomId: string, entries: { name: string; words: string[] }): Promise<void> {
    this.lists.names.delete(entries.name);
    for (const entry of entries.words) this.lists.words.delete(entry);
  }

  async isBuilt(): Promise<boolean> {
    return this.built;
  }

  async markBuilt(): Promise<void> {
    this.built = true;
  }

  async *publicRooms(): AsyncIterable<GroupRoomInfo[]> {
    yield [...this.infos.values()].filter((info) => info.visibility === 'public');
  }

  private setOf(map: Map<string, Set<string>>, key: string): Set<string> {
    const set = map.get(key) ?? new Set<string>();
    map.set(key, set);
    return set;
  }
}

/** Registered users (ids in order) and who of them is online. */
export class MemoryUsers implements Users, OnlineStatus {
  readonly online = new Set<string>();

  constructor(private readonly names: string[]) {}

  /** The id of a user by name (ids are 1-based positions in the list). */
  id(username: string): string {
    const index = this.names.indexOf(username);
    if (index < 0) throw new Error(`no user ${username}`);
    return String(index + 1);
  }

  async usernames(userIds: string[]): Promise<(string | null)[]> {
    return userIds.map((id) => this.names[Number(id) - 1] ?? null);
  }

  async firstUserIds(limit: number): Promise<string[]> {
    return this.names.slice(0, limit).map((_, i) => String(i + 1));
  }

  async areOnline(userIds: string[]): Promise<boolean[]> {
    return userIds.map((id) => this.online.has(id));
  }
}

/** Room activity set by the test: newest messages and unread states per room. */
export class MemoryRoomActivity implements RoomActivity {
  readonly newest = new Map<string, ChatMessage>();
  readonly unread = new Map<string, UnreadState>();

  async newestMessages(roomIds: string[]): Promise<(ChatMessage | null)[]> {
    return roomIds.map((id) => this.newest.get(id) ?? null);
  }

  async unreadIn(userId: string, roomIds: string[]): Promise<UnreadState[]> {
    return roomIds.map(
      (id) =>
        this.unread.get(`${userId}/${id}`) ?? { unread: 0, unreadMentions: 0, lastReadId: null },
    );
  }
}

/** Cooldowns that last until the test ends them, reported as `cooldownS` seconds left. */
export class MemoryInviteCooldowns implements InviteCooldowns {
  private readonly left = new Set<string>();

  constructor(private readonly cooldownS = 600) {}

  async start(roomId: string, userId: string): Promise<void> {
    this.left.add(`${roomId}/${userId}`);
  }

  async secondsLeft(roomId: string, userId: string): Promise<number> {
    return this.left.has(`${roomId}/${userId}`) ? this.cooldownS : 0;
  }

  async end(roomId: string, userId: string): Promise<void> {
    this.left.delete(`${roomId}/${userId}`);
  }
}
