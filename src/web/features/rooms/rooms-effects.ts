/**
 * The rooms' side of the server: the room list (and what it says about rooms left elsewhere),
 * rooms announced or hidden live, members, and the user's room actions: open, create, join,
 * leave, invite, and private chats.
 */
import {
  GENERAL_ROOM_ID,
  privateRoomId,
  type DirectoryPage,
  type RoomSummary,
  type RoomVisibility,
} from '../../../protocol/index.js';
import type { ChatEvent } from '../../core/events.js';
import { actionListener, type Store, Subscriptions } from '../../core/store/index.js';
import type { Transport } from '../../core/transport/index.js';
import type { WithSession } from '../auth/index.js';
import type { MessagesEffects } from '../messages/index.js';
import type { NavigationAction, WithOpenRoom } from '../navigation/index.js';
import type { WithRooms } from './rooms-slice.js';

export type RoomsStore = Store<
  WithSession & WithOpenRoom & WithRooms,
  ChatEvent | NavigationAction
>;

export class RoomsEffects {
  private roomsRefresh: Promise<void> | null = null;
  /** Rooms added while a room list request is out: that list may predate them. */
  private roomsAddedDuringRefresh: Set<string> | null = null;
  private readonly subscriptions = new Subscriptions();

  constructor(
    private readonly store: RoomsStore,
    private readonly transport: Transport,
    private readonly messages: Pick<MessagesEffects, 'loadIfNeeded'>,
  ) {}

  start(): void {
    const { connection } = this.transport;
    this.subscriptions.add(
      connection.on('show.room', (room) => this.addRoom(room)),
      // We left a room, here or on another tab or device.
      connection.on('hide.room', ({ id }) => this.removeRoom(id)),
      connection.on('room.member', (change) =>
        this.store.dispatch({ type: 'member.changed', change }),
      ),
      this.store.listen(
        actionListener<ChatEvent, WithRooms>(['messages.arrived'], (action, before) => {
          // A message in a room we did not know: fetch the list for its proper name.
          if (
            action.type === 'messages.arrived' &&
            action.messages.some((message) => !before.rooms[message.roomId])
          ) {
            void this.refreshRooms();
          }
        }),
      ),
    );
  }

  stop(): void {
    this.subscriptions.clear();
  }

  private get state() {
    return this.store.getState();
  }

  async refreshRooms(): Promise<void> {
    // Several unknown-room messages in a row share one request.
    this.roomsAddedDuringRefresh ??= new Set();
    const addedMeanwhile = this.roomsAddedDuringRefresh;
    this.roomsRefresh ??= this.transport.api
      .rooms(this.state.session.me.id)
      .then(
        (rooms) => {
          const { opening } = this.state.openRoom;
          this.store.dispatch({ type: 'rooms.listed', rooms });
          this.dropGroupRoomsLeftElsewhere(rooms, addedMeanwhile);
          // The address's room is now the open one: show it as a click on it would.
          if (opening && this.state.openRoom.roomId === opening) this.selectRoom(opening);
        },
        // The list stays as it is; the next reconnect refreshes it.
        () => this.store.dispatch({ type: 'opening.abandoned' }),
      )
      .finally(() => {
        this.roomsRefresh = null;
        this.roomsAddedDuringRefresh = null;
      });
    return this.roomsRefresh;
  }

  private addRoom(room: RoomSummary): void {
    this.roomsAddedDuringRefresh?.add(room.id);
    this.store.dispatch({ type: 'room.added', room });
  }

  /** General is everyone's: it is never left. */
  private removeRoom(roomId: string): void {
    if (roomId !== GENERAL_ROOM_ID) this.store.dispatch({ type: 'room.left', roomId });
  }

  /**
   * A group room missing from a fresh list was left on another tab while this one was offline
   * (and missed `hide.room`), unless it was added after the list was asked for.
   */
  private dropGroupRoomsLeftElsewhere(listed: RoomSummary[], addedMeanwhile: Set<string>): void {
    const ids = new Set(listed.map((room) => room.id));
    for (const { summary } of Object.values(this.state.rooms)) {
      if (summary.kind !== 'group' || ids.has(summary.id) || addedMeanwhile.has(summary.id)) {
        continue;
      }
      this.removeRoom(summary.id);
    }
  }

  /** Who is in a room (for the member list and @-suggestions). */
  async loadMembers(roomId: string): Promise<void> {
    try {
      const members = await this.transport.api.members(roomId);
      this.store.dispatch({ type: 'members.listed', roomId, members });
    } catch {
      // The list keeps what it had; opening the room again asks again.
    }
  }

  selectRoom(roomId: string): void {
    if (!this.state.rooms[roomId]) return;
    this.store.dispatch({ type: 'room.opened', roomId });
    this.messages.loadIfNeeded(roomId);
    void this.loadMembers(roomId);
  }

  /** Creates a group room and opens it; rejects with the server's ApiError (409 for a taken name). */
  async createRoom(name: string, visibility: RoomVisibility): Promise<RoomSummary> {
    const room = await this.transport.api.createRoom(name, visibility);
    this.addRoom(room);
    this.selectRoom(room.id);
    return room;
  }

  /** A page of the directory; `after` is the `next` of the page before. */
  searchRooms(search: string, after?: string): Promise<DirectoryPage> {
    return this.transport.api.directory(search, after);
  }

  /** Joins a public room (or opens one we are in already) and shows it. */
  async joinRoom(roomId: string): Promise<void> {
    if (!this.state.rooms[roomId]) {
      const room = await this.transport.api.joinRoom(roomId);
      this.addRoom(room);
    }
    this.selectRoom(roomId);
  }

  async leaveRoom(roomId: string): Promise<void> {
    await this.transport.api.leaveRoom(roomId);
    this.removeRoom(roomId);
  }

  /** Adds a user to a group room; the member list follows (room.member reaches us too). */
  async invite(roomId: string, userId: string): Promise<void> {
    await this.transport.api.invite(roomId, userId);
    void this.loadMembers(roomId);
  }

  /** Opens (or creates) the private room with a user and shows it. */
  async openPrivateRoom(userId: string): Promise<void> {
    const { me } = this.state.session;
    if (userId === me.id) return;
    const roomId = privateRoomId(me.id, userId);
    if (!this.state.rooms[roomId]) {
      const room = await this.transport.api.openPrivateRoom(me.id, userId);
      this.addRoom(room);
    }
    this.selectRoom(roomId);
  }
}
