/**
 * Which of this instance's users follow which chat room, kept once per user instead of once per
 * socket, so that a socket costs the same memory whether its user is in 10 rooms or 2,000.
 *
 * Socket.IO keeps a room's members as socket ids: a socket that joins 2,000 rooms adds 2,000
 * entries to the adapter's maps (and as many again for the batching mirrors), ~140 bytes each.
 * Here a chat room's channel (`room:X`, General excepted, which every socket joins anyway) is
 * never joined by a socket: joining it records the socket's user in this index, and a broadcast
 * to it is sent to the user channels (`user:U`, one per socket) of the users recorded for it.
 * The features keep calling socket.join, socketsJoin and socketsLeave on room channels and
 * emitting to them, on this instance or from another one through the Redis adapter: the index
 * hooks the adapter's own join, leave and apply, which all of those go through, so delivery and
 * its order are the adapter's as before. A user's entries go when their last local socket does.
 *
 * The batching mirrors (message-batching.ts) follow the same rule: `each:room:X` and
 * `batched:room:X` stand for the mirrors of the users' channels, `each:user:U`/`batched:user:U`.
 */
import { GENERAL_ROOM_ID } from '../../../protocol/models.js';
import { roomChannel, userChannel } from './channels.js';
import type { ChatServer } from './socket-types.js';

const ROOM_PREFIX = roomChannel('');
const USER_PREFIX = userChannel('');
const GENERAL_CHANNEL = roomChannel(GENERAL_ROOM_ID);

/** The mirrors' prefixes (message-batching.ts), which the index expands like room channels. */
const MIRROR_PREFIXES = ['each:', 'batched:'] as const;

/** The part of Socket.IO's in-memory adapter that the index hooks. */
interface HookedAdapter {
  rooms: Map<string, Set<string>>;
  addAll(id: string, rooms: Set<string>): Promise<void> | void;
  del(id: string, room: string): Promise<void> | void;
  apply(
    opts: { rooms: Set<string>; except?: Set<string> },
    callback: (socket: never) => void,
  ): void;
  on(event: 'delete-room', listener: (room: string) => void): unknown;
}

/** A chat room channel kept in the index (every one but General's), as its room id. */
function indexedRoomOf(channel: string): string | null {
  if (!channel.startsWith(ROOM_PREFIX) || channel === GENERAL_CHANNEL) return null;
  return channel.slice(ROOM_PREFIX.length);
}

/** A room channel or a mirror of one, as the mirror's prefix ('' for none) and the room id. */
function indexedChannelOf(channel: string): { mirror: string; roomId: string } | null {
  const mirror = MIRROR_PREFIXES.find((prefix) => channel.startsWith(prefix)) ?? '';
  const roomId = indexedRoomOf(mirror ? channel.slice(mirror.length) : channel);
  return roomId === null ? null : { mirror, roomId };
}

export class LocalRoomIndex {
  private readonly usersByRoom = new Map<string, Set<string>>();
  private readonly roomsByUser = new Map<string, Set<string>>();
  private readonly adapter: HookedAdapter;

  /** Call after io.adapter(...): it hooks the namespace's adapter. */
  constructor(io: ChatServer) {
    const namespace = io.of('/');
    const adapter = namespace.adapter as unknown as HookedAdapter;
    this.adapter = adapter;
    const userOf = (socketId: string) => namespace.sockets.get(socketId)?.data.userId;

    const addAll = adapter.addAll.bind(adapter);
    adapter.addAll = (id, rooms) => {
      const kept = new Set<string>();
      for (const channel of rooms) {
        const roomId = indexedRoomOf(channel);
        const userId = roomId === null ? undefined : userOf(id);
        if (roomId === null) kept.add(channel);
        else if (userId !== undefined) this.add(userId, roomId);
      }
      return kept.size > 0 ? addAll(id, kept) : undefined;
    };

    const del = adapter.del.bind(adapter);
    adapter.del = (id, channel) => {
      const roomId = indexedRoomOf(channel);
      if (roomId === null) return del(id, channel);
      const userId = userOf(id);
      if (userId !== undefined) this.remove(userId, roomId);
      return undefined;
    };

    const apply = adapter.apply.bind(adapter);
    adapter.apply = (opts, callback) =>
      apply({ ...opts, rooms: this.expand(opts.rooms) }, callback);

    // The user's last socket here left their channel: they follow nothing here any more.
    adapter.on('delete-room', (channel) => {
      if (channel.startsWith(USER_PREFIX)) this.forget(channel.slice(USER_PREFIX.length));
    });
  }

  /** Whether the user (with a socket here) follows the room: their access was checked. */
  follows(userId: string, roomId: string): boolean {
    // Every socket joins General's channel at connection.
    if (roomId === GENERAL_ROOM_ID) return true;
    return this.usersByRoom.get(roomId)?.has(userId) ?? false;
  }

  /** How many sockets of this instance a channel reaches (room channels and mirrors expanded). */
  socketsIn(channel: string): number {
    let sockets = 0;
    for (const expanded of this.expand(new Set([channel]))) {
      sockets += this.adapter.rooms.get(expanded)?.size ?? 0;
    }
    return sockets;
  }

  /** The channels a broadcast really goes to: room channels become their users' channels. */
  private expand(channels: Set<string>): Set<string> {
    // Most broadcasts name General or user channels only: no copy for them.
    let anyIndexed = false;
    for (const channel of channels) anyIndexed ||= indexedChannelOf(channel) !== null;
    if (!anyIndexed) return channels;
    const expanded = new Set<string>();
    for (const channel of channels) {
      const indexed = indexedChannelOf(channel);
      if (indexed === null) {
        expanded.add(channel);
        continue;
      }
      for (const userId of this.usersByRoom.get(indexed.roomId) ?? []) {
        expanded.add(indexed.mirror + userChannel(userId));
      }
    }
    return expanded;
  }

  private add(userId: string, roomId: string): void {
    let users = this.usersByRoom.get(roomId);
    if (!users) this.usersByRoom.set(roomId, (users = new Set()));
    users.add(userId);
    let rooms = this.roomsByUser.get(userId);
    if (!rooms) this.roomsByUser.set(userId, (rooms = new Set()));
    rooms.add(roomId);
  }

  private remove(userId: string, roomId: string): void {
    const users = this.usersByRoom.get(roomId);
    users?.delete(userId);
    if (users?.size === 0) this.usersByRoom.delete(roomId);
    this.roomsByUser.get(userId)?.delete(roomId);
  }

  private forget(userId: string): void {
    for (const roomId of this.roomsByUser.get(userId) ?? []) {
      const users = this.usersByRoom.get(roomId);
      users?.delete(userId);
      if (users?.size === 0) this.usersByRoom.delete(roomId);
    }
    this.roomsByUser.delete(userId);
  }
}
