/**
 * Test doubles for the transport: an in-memory socket with the parts of socket.io-client's API
 * the client uses, and an API whose answers each test sets. Only imported by tests.
 */
import type {
  ChatMessage,
  DirectoryPage,
  RoomSummary,
  UserPresence,
} from '../../protocol/index.js';
import type { Api, ChatSocket } from '../core/transport/index.js';

type Handler = (...args: unknown[]) => void;

export interface SentMessage {
  /** 'message', 'message.edit' or 'message.delete'. */
  event: string;
  payload: { roomId: string; message: string; id?: string; clientId?: string };
  /** Answers the ack: null error and a response, or an Error for a timeout. */
  answer: (error: Error | null, response?: unknown) => void;
}

export class FakeSocket {
  connected = false;
  active = false;
  readonly sent: SentMessage[] = [];
  /** Events emitted without an ack (typing), in order. */
  readonly emitted: { event: string; payload: unknown }[] = [];
  private readonly handlers = new Map<string, Handler[]>();

  on(event: string, handler: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }

  off(event: string, handler: Handler) {
    this.handlers.set(
      event,
      (this.handlers.get(event) ?? []).filter((known) => known !== handler),
    );
    return this;
  }

  /** How many listeners an event has (to check that stopping removes them). */
  listenerCount(event: string) {
    return this.handlers.get(event)?.length ?? 0;
  }

  connect() {
    this.active = true;
    return this;
  }

  disconnect() {
    this.active = false;
    this.connected = false;
    return this;
  }

  timeout(_ms: number) {
    return {
      emit: (event: string, payload: SentMessage['payload'], ack: SentMessage['answer']) => {
        this.sent.push({ event, payload, answer: ack });
      },
    };
  }

  emit(event: string, payload: unknown) {
    this.emitted.push({ event, payload });
    return this;
  }

  /** What the server would do: deliver an event to the client. */
  serverEmits(event: string, ...args: unknown[]) {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }

  goOnline() {
    this.connected = true;
    this.serverEmits('connect');
  }

  goOffline() {
    this.connected = false;
    this.serverEmits('disconnect', 'transport close');
  }

  asChatSocket(): ChatSocket {
    return this as unknown as ChatSocket;
  }
}

export interface ApiCall {
  name: string;
  args: unknown[];
}

/** An API that records calls; each answer comes from the handlers a test provides. */
export function fakeApi(overrides: Partial<Record<keyof Api, (...args: never[]) => unknown>> = {}) {
  const calls: ApiCall[] = [];
  const defaults: Record<keyof Api, (...args: never[]) => unknown> = {
    me: () => null,
    login: () => ({ user: { id: '1', username: 'Pablo' }, registered: false }),
    logout: () => null,
    logoutAll: () => null,
    changePassword: () => null,
    rooms: (): RoomSummary[] => [],
    openPrivateRoom: () => ({ id: '1:2', names: ['Pablo', 'Joe'] }),
    messagesPage: (): ChatMessage[] => [],
    messagesAfter: (): ChatMessage[] => [],
    messagesAround: (): ChatMessage[] => [],
    search: () => ({ hits: [], terms: [], next: null }),
    markRead: () => ({}),
    mutedRooms: () => ({ roomIds: [] }),
    muteRoom: (roomId: string) => ({ roomIds: [roomId] }),
    unmuteRoom: () => ({ roomIds: [] }),
    seenBy: (roomId: string) => ({ roomId, userId: '2', lastReadId: null }),
    onlineUsers: (): Record<string, UserPresence> => ({}),
    users: (): Record<string, UserPresence> => ({}),
    createRoom: (name: string, visibility: string): RoomSummary => ({
      id: '7',
      names: [name],
      kind: 'group',
      visibility: visibility as RoomSummary['visibility'],
    }),
    directory: (): DirectoryPage => ({ rooms: [], next: null }),
    joinRoom: (roomId: string): RoomSummary => ({ id: roomId, names: ['Room'], kind: 'group' }),
    leaveRoom: () => null,
    banUser: () => null,
    invite: (roomId: string): RoomSummary => ({ id: roomId, names: ['Room'], kind: 'group' }),
    members: (): UserPresence[] => [],
    reactions: (): unknown[] => [],
    thread: () => ({ parent: null, replies: [], hasOlder: false }),
  };
  const handlers = { ...defaults, ...overrides };
  const api = Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      async (...args: never[]) => {
        calls.push({ name, args });
        return handler(...args);
      },
    ]),
  ) as unknown as Api;
  return { api, calls };
}
