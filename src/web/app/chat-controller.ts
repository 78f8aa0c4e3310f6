/**
 * Everything the chat does with the outside world: the socket's events, the HTTP calls, sending
 * with acks, and catching up after a reconnect. Components read the state through
 * useSyncExternalStore and call the methods here; they never talk to the server themselves.
 */
import {
  GENERAL_ROOM_ID,
  MESSAGE_MAX_LENGTH,
  type AckResponse,
  type ChatMessage,
  type DirectoryRoom,
  type RoomSummary,
  type RoomVisibility,
  type SessionUser,
  type TypingNotice,
  type UserPresence,
} from '../../protocol/index.js';
import { TypingAnnouncer, typingExpiry } from '../features/typing/typing.js';
import type { Api } from '../lib/api.js';
import { privateRoomId } from '../../protocol/room-ids.js';
import { SEND_ACK_TIMEOUT_MS, type ChatSocket } from '../lib/socket.js';
import { chatReducer, initialChatState, type ChatAction, type ChatState } from './chat-state.js';

/** Messages per page when opening a room and when scrolling up. */
export const PAGE_SIZE = 30;
/** Messages per catch-up request after a reconnect (the server's maximum). */
export const CATCH_UP_PAGE_SIZE = 100;

export interface ChatControllerOptions {
  api: Api;
  socket: ChatSocket;
  me: SessionUser;
  /** The server no longer knows the session (expired, or signed out elsewhere). */
  onSessionEnded: () => void;
  /** The room to show first (from the page's address), if the user is in it. */
  openRoomId?: string | null;
}

type MessageEvent = 'message' | 'message.edit' | 'message.delete';

interface TimedMessageEmitter {
  emit(
    event: MessageEvent,
    payload: { roomId: string; message?: string; id?: string },
    ack: (timeout: Error | null, response: AckResponse<{ message: ChatMessage }>) => void,
  ): unknown;
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** Types do not validate: a malformed event is dropped rather than breaking the screen. */
function isChatMessage(value: unknown): value is ChatMessage {
  const message = value as ChatMessage | null;
  return (
    typeof message === 'object' &&
    message !== null &&
    isString(message.id) &&
    isString(message.from) &&
    isString(message.roomId) &&
    isString(message.message) &&
    typeof message.date === 'number'
  );
}

function isTypingNotice(value: unknown): value is TypingNotice {
  const notice = value as TypingNotice | null;
  return (
    typeof notice === 'object' &&
    notice !== null &&
    isString(notice.roomId) &&
    isString(notice.userId) &&
    isString(notice.username) &&
    typeof notice.typing === 'boolean'
  );
}

/** A room summary from show.room or an HTTP answer, keeping the fields this client knows. */
function roomSummaryOf(value: unknown): RoomSummary | null {
  const room = value as Partial<RoomSummary> | null;
  if (typeof room !== 'object' || room === null) return null;
  if (!isString(room.id) || !Array.isArray(room.names)) return null;
  const summary: RoomSummary = { id: room.id, names: room.names.map(String) };
  if (room.kind === 'general' || room.kind === 'direct' || room.kind === 'group') {
    summary.kind = room.kind;
  }
  if (room.visibility === 'public' || room.visibility === 'private') {
    summary.visibility = room.visibility;
  }
  return summary;
}

function isPresence(value: unknown): value is UserPresence {
  const user = value as UserPresence | null;
  return (
    typeof user === 'object' &&
    user !== null &&
    isString(user.id) &&
    isString(user.username) &&
    typeof user.online === 'boolean'
  );
}

const describe = (error: unknown) =>
  error instanceof Error ? error.message : 'Something went wrong.';

export class ChatController {
  private state: ChatState;
  private readonly listeners = new Set<() => void>();
  private readonly api: Api;
  private readonly socket: ChatSocket;
  private readonly onSessionEnded: () => void;
  private everConnected = false;
  private stopped = false;
  private localIds = 0;
  private noticeIds = 0;
  /** User ids asked for (or being asked for), so each is fetched once. */
  private readonly requestedUsers = new Set<string>();
  private usersToFetch = new Set<string>();
  private roomsRefresh: Promise<void> | null = null;
  /** Rooms added while a room list request is out: that list may predate them. */
  private roomsAddedDuringRefresh: Set<string> | null = null;
  /** The newest message each room was marked read at, so the same mark is not posted twice. */
  private readonly readMarks = new Map<string, string>();
  /** Per room: when to tell the others that we type. */
  private readonly announcers = new Map<string, TypingAnnouncer>();
  /** Per room and typist: the timer that forgets them if their notice is not renewed. */
  private readonly typingTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor({ api, socket, me, onSessionEnded, openRoomId = null }: ChatControllerOptions) {
    this.api = api;
    this.socket = socket;
    this.onSessionEnded = onSessionEnded;
    this.state = initialChatState(me, openRoomId);
  }

  getState = (): ChatState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private dispatch(action: ChatAction): void {
    if (this.stopped) return;
    const next = chatReducer(this.state, action);
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  start(): void {
    // start() may follow stop() (React's StrictMode mounts twice in development).
    this.stopped = false;
    const { socket } = this;
    socket.removeAllListeners();
    socket.on('connect', this.handleConnect);
    socket.on('disconnect', this.handleDisconnect);
    socket.on('connect_error', this.handleConnectError);
    socket.on('message', this.handleMessage);
    socket.on('message.batch', this.handleMessageBatch);
    socket.on('message.updated', this.handleMessageUpdated);
    socket.on('user.connected', this.handlePresence);
    socket.on('user.disconnected', this.handlePresence);
    socket.on('show.room', this.handleShowRoom);
    socket.on('room.read', this.handleRoomRead);
    socket.on('hide.room', this.handleHideRoom);
    socket.on('room.member', this.handleRoomMember);
    socket.on('typing', this.handleTyping);
    socket.connect();
    void this.refreshRooms();
    void this.refreshOnlineUsers();
    void this.loadPage(GENERAL_ROOM_ID, false);
    // General's members are everyone: the people to @mention there and to invite to groups.
    void this.loadMembers(GENERAL_ROOM_ID);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.typingTimers.values()) clearTimeout(timer);
    this.typingTimers.clear();
    for (const announcer of this.announcers.values()) announcer.cancel();
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  // Socket events -------------------------------------------------------------------------------

  private readonly handleConnect = () => {
    this.dispatch({ type: 'connection.changed', status: 'online', at: Date.now() });
    if (this.everConnected) void this.catchUp();
    this.everConnected = true;
  };

  private readonly handleDisconnect = (reason: string) => {
    if (this.stopped) return;
    this.dispatch({ type: 'connection.changed', status: 'offline', at: Date.now() });
    // The server closed this socket on purpose: Socket.IO does not reconnect by itself then.
    if (reason === 'io server disconnect') this.socket.connect();
  };

  private readonly handleConnectError = (error: Error & { data?: { code?: string } }) => {
    if (error.data?.code === 'unauthenticated') {
      this.onSessionEnded();
      return;
    }
    this.dispatch({
      type: 'connection.changed',
      status: this.everConnected ? 'offline' : 'connecting',
      at: Date.now(),
    });
    // A refusal by the server's middleware is final for Socket.IO; a lost network is retried.
    if (!this.socket.active) {
      setTimeout(() => {
        if (!this.stopped && !this.socket.connected) this.socket.connect();
      }, 2000);
    }
  };

  private readonly handleMessage = (message: unknown) => {
    if (isChatMessage(message)) this.receiveLive([message]);
  };

  /** Several new messages of one room in one event (we opt in at the handshake, see socket.ts). */
  private readonly handleMessageBatch = (messages: unknown) => {
    if (Array.isArray(messages)) this.receiveLive(messages.filter(isChatMessage));
  };

  private receiveLive(messages: ChatMessage[]): void {
    if (messages.length === 0) return;
    const unknownRoom = messages.some((message) => !this.state.rooms[message.roomId]);
    this.dispatch({ type: 'messages.received', messages });
    this.ensureUsers(messages.map((message) => message.from));
    // A message in a room we did not know: fetch the list for its proper name.
    if (unknownRoom) void this.refreshRooms();
  }

  private readonly handleMessageUpdated = (message: unknown) => {
    if (isChatMessage(message)) this.dispatch({ type: 'message.updated', message });
  };

  private readonly handlePresence = (user: unknown) => {
    if (!isPresence(user)) return;
    this.dispatch({ type: 'presence.changed', user, noticeId: `notice-${++this.noticeIds}` });
  };

  private readonly handleShowRoom = (room: unknown) => {
    const summary = roomSummaryOf(room);
    if (summary) this.addRoom(summary);
  };

  /** We left a room, here or on another tab or device. */
  private readonly handleHideRoom = (room: unknown) => {
    const id = (room as { id?: unknown } | null)?.id;
    if (isString(id)) this.dispatch({ type: 'room.removed', roomId: id });
  };

  private readonly handleRoomMember = (change: unknown) => {
    const member = change as { roomId?: unknown; user?: unknown; joined?: unknown } | null;
    const user = member?.user as { id?: unknown; username?: unknown } | undefined;
    if (
      !isString(member?.roomId) ||
      typeof member.joined !== 'boolean' ||
      !isString(user?.id) ||
      !isString(user.username)
    ) {
      return;
    }
    this.dispatch({
      type: 'member.changed',
      change: {
        roomId: member.roomId,
        joined: member.joined,
        user: { id: user.id, username: user.username },
      },
    });
  };

  private readonly handleTyping = (notice: unknown) => {
    if (!isTypingNotice(notice) || notice.userId === this.state.me.id) return;
    const key = `${notice.roomId} ${notice.userId}`;
    clearTimeout(this.typingTimers.get(key));
    this.typingTimers.delete(key);
    const now = Date.now();
    this.dispatch({ type: 'typing.changed', notice, until: typingExpiry(now) });
    if (!notice.typing) return;
    // Not renewed in time: the typist closed the tab, lost the network, or just stopped.
    this.typingTimers.set(
      key,
      setTimeout(
        () => {
          this.typingTimers.delete(key);
          this.dispatch({ type: 'typing.expired', roomId: notice.roomId, now: Date.now() });
        },
        typingExpiry(now) - now,
      ),
    );
  };

  private readonly handleRoomRead = (marker: unknown) => {
    const read = marker as { roomId?: unknown; lastReadId?: unknown };
    if (!isString(read?.roomId) || !isString(read.lastReadId)) return;
    this.dispatch({
      type: 'room.read',
      marker: { roomId: read.roomId, lastReadId: read.lastReadId },
    });
  };

  // Loading -------------------------------------------------------------------------------------

  async refreshRooms(): Promise<void> {
    // Several unknown-room messages in a row share one request.
    this.roomsAddedDuringRefresh ??= new Set();
    const addedMeanwhile = this.roomsAddedDuringRefresh;
    this.roomsRefresh ??= this.api
      .rooms(this.state.me.id)
      .then(
        (rooms) => {
          const opening = this.state.opening;
          this.dispatch({ type: 'rooms.loaded', rooms });
          this.dropGroupRoomsLeftElsewhere(rooms, addedMeanwhile);
          // The address's room is now the current one: show it as a click on it would.
          if (opening && this.state.currentRoomId === opening) this.selectRoom(opening);
        },
        // The list stays as it is; the next reconnect refreshes it.
        () => this.dispatch({ type: 'opening.abandoned' }),
      )
      .finally(() => {
        this.roomsRefresh = null;
        this.roomsAddedDuringRefresh = null;
      });
    return this.roomsRefresh;
  }

  private addRoom(room: RoomSummary): void {
    this.roomsAddedDuringRefresh?.add(room.id);
    this.dispatch({ type: 'room.added', room });
  }

  /**
   * A group room missing from a fresh list was left on another tab while this one was offline
   * (and missed `hide.room`), unless it was added after the list was asked for.
   */
  private dropGroupRoomsLeftElsewhere(listed: RoomSummary[], addedMeanwhile: Set<string>): void {
    const ids = new Set(listed.map((room) => room.id));
    for (const { summary } of Object.values(this.state.rooms)) {
      if (summary.kind !== 'group' || ids.has(summary.id) || addedMeanwhile.has(summary.id))
        continue;
      this.announcers.get(summary.id)?.cancel();
      this.announcers.delete(summary.id);
      this.dispatch({ type: 'room.removed', roomId: summary.id });
    }
  }

  async refreshOnlineUsers(): Promise<void> {
    try {
      const users = await this.api.onlineUsers();
      this.dispatch({ type: 'users.loaded', users, onlineSnapshot: true });
    } catch {
      // Presence updates keep arriving; the next reconnect asks again.
    }
  }

  /** Asks once for the names of senders we do not know, in one batched request. */
  private ensureUsers(ids: string[]): void {
    const missing = ids.filter((id) => !this.state.users[id] && !this.requestedUsers.has(id));
    if (missing.length === 0) return;
    const first = this.usersToFetch.size === 0;
    for (const id of missing) {
      this.requestedUsers.add(id);
      this.usersToFetch.add(id);
    }
    if (!first) return;
    queueMicrotask(() => {
      const batch = [...this.usersToFetch];
      this.usersToFetch = new Set();
      this.api.users(batch).then(
        (users) => this.dispatch({ type: 'users.loaded', users, onlineSnapshot: false }),
        () => batch.forEach((id) => this.requestedUsers.delete(id)),
      );
    });
  }

  private async loadPage(roomId: string, older: boolean): Promise<void> {
    const room = this.state.rooms[roomId];
    if (!room) return;
    const offset = older ? room.messages.length : 0;
    this.dispatch({ type: 'page.started', roomId, older });
    try {
      const messages = await this.api.messagesPage(roomId, offset, PAGE_SIZE);
      this.dispatch({ type: 'page.loaded', roomId, messages, size: PAGE_SIZE, older });
      this.ensureUsers(messages.map((message) => message.from));
    } catch (error) {
      this.dispatch({ type: 'page.failed', roomId, older, error: describe(error) });
    }
  }

  /**
   * After a reconnect: every room already shown gets what it missed (oldest first, page after
   * page), merged by id so nothing shows twice; then the room list and who is online.
   */
  private async catchUp(): Promise<void> {
    const rooms = Object.values(this.state.rooms);
    await Promise.all(
      rooms.map(async (room) => {
        if (room.load === 'error') return this.loadPage(room.summary.id, false);
        if (room.load !== 'ready') return;
        let after = room.messages.at(-1)?.id;
        if (!after) return this.loadPage(room.summary.id, false);
        try {
          for (;;) {
            const missed = await this.api.messagesAfter(room.summary.id, after, CATCH_UP_PAGE_SIZE);
            this.dispatch({ type: 'messages.received', messages: missed });
            this.ensureUsers(missed.map((message) => message.from));
            const last = missed.at(-1);
            if (!last || missed.length < CATCH_UP_PAGE_SIZE) break;
            after = last.id;
          }
        } catch {
          // Offline again: the next reconnect starts over from the newest message we hold.
        }
      }),
    );
    await Promise.all([
      this.refreshRooms(),
      this.refreshOnlineUsers(),
      this.loadMembers(this.state.currentRoomId),
    ]);
  }

  /** Who is in a room (for the member list and @-suggestions). */
  async loadMembers(roomId: string): Promise<void> {
    try {
      const members = await this.api.members(roomId);
      this.dispatch({ type: 'members.loaded', roomId, members });
    } catch {
      // The list keeps what it had; opening the room again asks again.
    }
  }

  // Actions -------------------------------------------------------------------------------------

  selectRoom(roomId: string): void {
    const room = this.state.rooms[roomId];
    if (!room) return;
    this.dispatch({ type: 'room.selected', roomId });
    if (room.load === 'idle' || room.load === 'error') void this.loadPage(roomId, false);
    void this.loadMembers(roomId);
  }

  loadOlder(roomId: string): void {
    const room = this.state.rooms[roomId];
    if (!room || room.load !== 'ready' || room.loadingOlder || !room.hasOlder) return;
    void this.loadPage(roomId, true);
  }

  send(roomId: string, text: string): void {
    if (!text.trim() || text.length > MESSAGE_MAX_LENGTH) return;
    this.typingStopped(roomId);
    const localId = `local-${++this.localIds}`;
    this.dispatch({
      type: 'outbox.added',
      message: { localId, roomId, text, date: Date.now() / 1000, status: 'pending' },
    });
    this.transmit(roomId, localId);
  }

  retry(roomId: string, localId: string): void {
    this.dispatch({ type: 'outbox.retried', roomId, localId });
    this.transmit(roomId, localId);
  }

  discard(roomId: string, localId: string): void {
    this.dispatch({ type: 'outbox.discarded', roomId, localId });
  }

  private transmit(roomId: string, localId: string): void {
    const outgoing = this.state.rooms[roomId]?.outbox.find((out) => out.localId === localId);
    if (!outgoing) return;
    const fail = (error: string) =>
      this.dispatch({ type: 'outbox.failed', roomId, localId, error });
    // Socket.IO would buffer the emit and send it on reconnect, after we had called it failed:
    // a retry then would post it twice. Offline means not sent, plainly.
    if (!this.socket.connected) {
      fail('You are offline.');
      return;
    }
    this.emitMessageEvent(
      'message',
      { roomId, message: outgoing.text },
      (message) => this.dispatch({ type: 'outbox.confirmed', roomId, localId, message }),
      fail,
    );
  }

  /**
   * Emits an acknowledged message event and reports the server's copy of the message or the
   * reason for a refusal. Callbacks rather than a promise: the answer shows in the same turn.
   */
  private emitMessageEvent(
    event: MessageEvent,
    payload: { roomId: string; message?: string; id?: string },
    done: (message: ChatMessage) => void,
    fail: (reason: string) => void,
  ): void {
    // The shared event type declares the ack optional, which socket.io-client's timeout()
    // typing does not decorate: this is the shape timeout().emit really has for these events.
    const timed = this.socket.timeout(SEND_ACK_TIMEOUT_MS) as unknown as TimedMessageEmitter;
    timed.emit(event, payload, (timeout, response) => {
      if (timeout) fail('No answer from the server.');
      else if (!response.ok) fail(response.error.message);
      else if (isChatMessage(response.message)) done(response.message);
      else fail('The server gave an unexpected answer.');
    });
  }

  /** An edit or a delete: the change shows as soon as the server confirms it. */
  private changeMessage(
    event: 'message.edit' | 'message.delete',
    payload: { roomId: string; id: string; message?: string },
  ): Promise<void> {
    if (!this.socket.connected) return Promise.reject(new Error('You are offline.'));
    return new Promise((resolve, reject) =>
      this.emitMessageEvent(
        event,
        payload,
        (message) => {
          this.dispatch({ type: 'message.updated', message });
          resolve();
        },
        (reason) => reject(new Error(reason)),
      ),
    );
  }

  /** Changes the text of one of our messages; rejects with the reason when refused. */
  async editMessage(roomId: string, id: string, text: string): Promise<void> {
    if (!text.trim()) throw new Error('A message cannot be empty.');
    if (text.length > MESSAGE_MAX_LENGTH) {
      throw new Error(`A message can have at most ${MESSAGE_MAX_LENGTH} characters.`);
    }
    return this.changeMessage('message.edit', { roomId, id, message: text });
  }

  /** Deletes one of our messages for everyone; rejects with the reason when refused. */
  deleteMessage(roomId: string, id: string): Promise<void> {
    return this.changeMessage('message.delete', { roomId, id });
  }

  // Typing --------------------------------------------------------------------------------------

  /** The text in a room's message box changed. */
  typingInput(roomId: string, text: string): void {
    this.announcerOf(roomId).input(text);
  }

  /** Sent, emptied, or left the message box. */
  typingStopped(roomId: string): void {
    this.announcers.get(roomId)?.stop();
  }

  private announcerOf(roomId: string): TypingAnnouncer {
    let announcer = this.announcers.get(roomId);
    if (!announcer) {
      announcer = new TypingAnnouncer((typing) => {
        // Offline typing is nobody's business: the notice would be stale on arrival anyway.
        if (!this.socket.connected) return false;
        this.socket.emit('typing', { roomId, typing });
        return true;
      });
      this.announcers.set(roomId, announcer);
    }
    return announcer;
  }

  // Group rooms ---------------------------------------------------------------------------------

  /** Creates a group room and opens it; rejects with the server's ApiError (409 for a taken name). */
  async createRoom(name: string, visibility: RoomVisibility): Promise<RoomSummary> {
    const room = await this.api.createRoom(name, visibility);
    this.addRoom(room);
    this.selectRoom(room.id);
    return room;
  }

  searchRooms(search: string): Promise<DirectoryRoom[]> {
    return this.api.directory(search);
  }

  /** Joins a public room (or opens one we are in already) and shows it. */
  async joinRoom(roomId: string): Promise<void> {
    if (!this.state.rooms[roomId]) {
      const room = await this.api.joinRoom(roomId);
      this.addRoom(room);
    }
    this.selectRoom(roomId);
  }

  async leaveRoom(roomId: string): Promise<void> {
    await this.api.leaveRoom(roomId);
    this.announcers.get(roomId)?.cancel();
    this.announcers.delete(roomId);
    this.dispatch({ type: 'room.removed', roomId });
  }

  /** Adds a user to a group room; the member list follows (room.member reaches us too). */
  async invite(roomId: string, userId: string): Promise<void> {
    await this.api.invite(roomId, userId);
    void this.loadMembers(roomId);
  }

  /** Opens (or creates) the private room with a user and shows it. */
  async openPrivateRoom(userId: string): Promise<void> {
    const { me } = this.state;
    if (userId === me.id) return;
    const roomId = privateRoomId(me.id, userId);
    if (!this.state.rooms[roomId]) {
      const room = await this.api.openPrivateRoom(me.id, userId);
      this.addRoom(room);
    }
    this.selectRoom(roomId);
  }

  /** Moves the server's read marker to the newest message of a room the user is looking at. */
  markRead(roomId: string): void {
    // Until the address's room is settled, what is on screen may not be what the user opened.
    if (this.state.opening) return;
    const newest = this.state.rooms[roomId]?.messages.at(-1);
    if (!newest || this.readMarks.get(roomId) === newest.id) return;
    this.readMarks.set(roomId, newest.id);
    // A failure is not worth a message: the next mark moves the marker anyway.
    this.api.markRead(roomId, newest.id).catch(() => this.readMarks.delete(roomId));
  }
}
