/**
 * One signed-in chat: its store and each feature's effects, wired in the features' order (a
 * feature gets the effects of those before it). Starting it listens to the server, connects, and
 * loads what the screen shows first; stopping it makes every late answer a no-op.
 */
import { GENERAL_ROOM_ID, type SessionUser } from '../../protocol/index.js';
import type { Transport } from '../core/transport/index.js';
import { ConnectionEffects } from '../features/connection/index.js';
import { MessagesEffects } from '../features/messages/index.js';
import {
  NotificationsEffects,
  serverMutedRooms,
  type NotificationsOptions,
} from '../features/notifications/index.js';
import { PresenceEffects } from '../features/presence/index.js';
import { ModerationEffects } from '../features/moderation/index.js';
import { ReactionsEffects } from '../features/reactions/index.js';
import { ReadsEffects } from '../features/reads/index.js';
import { RoomsEffects } from '../features/rooms/index.js';
import { SearchEffects } from '../features/search/index.js';
import { ThreadsEffects } from '../features/threads/index.js';
import { TypingEffects } from '../features/typing/index.js';
import { createChatStore, type ChatStore } from './chat-state.js';

export interface ChatSessionOptions {
  me: SessionUser;
  transport: Transport;
  /** The server no longer knows the session (expired, or signed out elsewhere). */
  onSessionEnded: () => void;
  /** The room the page's address names, shown first if the user is in it. */
  addressRoomId?: string | null;
  /** For tests: where mutes are kept, the notifier, the page's visibility. */
  notifications?: NotificationsOptions;
}

export class ChatSession {
  readonly store: ChatStore;
  readonly presence: PresenceEffects;
  readonly messages: MessagesEffects;
  readonly typing: TypingEffects;
  readonly reads: ReadsEffects;
  readonly rooms: RoomsEffects;
  readonly connection: ConnectionEffects;
  readonly notifications: NotificationsEffects;
  readonly reactions: ReactionsEffects;
  readonly moderation: ModerationEffects;
  readonly search: SearchEffects;
  readonly threads: ThreadsEffects;

  constructor({
    me,
    transport,
    onSessionEnded,
    addressRoomId = null,
    notifications,
  }: ChatSessionOptions) {
    this.store = createChatStore(me, addressRoomId);
    this.presence = new PresenceEffects(this.store, transport);
    this.messages = new MessagesEffects(this.store, transport, this.presence);
    this.typing = new TypingEffects(this.store, transport);
    this.reads = new ReadsEffects(this.store, transport);
    this.rooms = new RoomsEffects(this.store, transport, this.messages);
    this.connection = new ConnectionEffects(this.store, transport, {
      messages: this.messages,
      rooms: this.rooms,
      presence: this.presence,
      onSessionEnded,
    });
    // Mutes are kept on the server, so every device follows them (tests may pass their own).
    this.notifications = new NotificationsEffects(this.store, this.rooms, {
      mutedRooms: serverMutedRooms(transport),
      ...notifications,
    });
    this.reactions = new ReactionsEffects(this.store, transport);
    this.moderation = new ModerationEffects(transport);
    this.search = new SearchEffects(transport, this.presence, this.rooms, this.messages);
    this.threads = new ThreadsEffects(this.store, transport, this.messages, this.presence);
  }

  private get features() {
    return [
      this.presence,
      this.messages,
      this.typing,
      this.reads,
      this.rooms,
      this.connection,
      this.notifications,
      this.reactions,
      this.threads,
    ];
  }

  /** May follow stop(): React's StrictMode mounts twice in development. */
  start(): void {
    this.store.setOpen(true);
    for (const feature of this.features) feature.start();
    this.connection.connect();
    void this.rooms.refreshRooms();
    void this.presence.refreshOnlineUsers();
    void this.messages.loadPage(GENERAL_ROOM_ID, false);
    // General's members are everyone: the people to @mention there and to invite to groups.
    void this.rooms.loadMembers(GENERAL_ROOM_ID);
  }

  stop(): void {
    this.store.setOpen(false);
    for (const feature of this.features) feature.stop();
  }
}
