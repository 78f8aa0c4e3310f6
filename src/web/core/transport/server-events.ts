/**
 * What the server sends, checked before any feature sees it. Types do not validate: a malformed
 * event is dropped here (or, in a batch, the malformed entries) rather than breaking the screen.
 * Each event's payload keeps only the fields this client knows.
 */
import type {
  ChatMessage,
  ReadMarker,
  RoomMembershipChange,
  RoomSummary,
  TypingNotice,
  UserPresence,
} from '../../../protocol/index.js';

/** The payload each server→client event hands to its listeners once checked. */
export interface ServerEventPayloads {
  message: ChatMessage;
  /** Only the well-formed entries of the batch, oldest first. */
  'message.batch': ChatMessage[];
  'message.updated': ChatMessage;
  'user.connected': UserPresence;
  'user.disconnected': UserPresence;
  'show.room': RoomSummary;
  'hide.room': { id: string };
  'room.member': RoomMembershipChange;
  'room.read': ReadMarker;
  typing: TypingNotice;
}

export type ServerEvent = keyof ServerEventPayloads;

const isString = (value: unknown): value is string => typeof value === 'string';
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

export function isChatMessage(value: unknown): value is ChatMessage {
  return (
    isObject(value) &&
    isString(value.id) &&
    isString(value.from) &&
    isString(value.roomId) &&
    isString(value.message) &&
    typeof value.date === 'number'
  );
}

function isPresence(value: unknown): value is UserPresence {
  return (
    isObject(value) &&
    isString(value.id) &&
    isString(value.username) &&
    typeof value.online === 'boolean'
  );
}

/** A room summary from show.room or an HTTP answer, keeping the fields this client knows. */
function roomSummaryOf(value: unknown): RoomSummary | null {
  if (!isObject(value) || !isString(value.id) || !Array.isArray(value.names)) return null;
  const summary: RoomSummary = { id: value.id, names: value.names.map(String) };
  if (value.kind === 'general' || value.kind === 'direct' || value.kind === 'group') {
    summary.kind = value.kind;
  }
  if (value.visibility === 'public' || value.visibility === 'private') {
    summary.visibility = value.visibility;
  }
  return summary;
}

function membershipChangeOf(value: unknown): RoomMembershipChange | null {
  if (!isObject(value) || !isString(value.roomId) || typeof value.joined !== 'boolean') {
    return null;
  }
  const user = value.user;
  if (!isObject(user) || !isString(user.id) || !isString(user.username)) return null;
  return {
    roomId: value.roomId,
    joined: value.joined,
    user: { id: user.id, username: user.username },
  };
}

function typingNoticeOf(value: unknown): TypingNotice | null {
  return isObject(value) &&
    isString(value.roomId) &&
    isString(value.userId) &&
    isString(value.username) &&
    typeof value.typing === 'boolean'
    ? (value as unknown as TypingNotice)
    : null;
}

/** Each event's check: the payload to hand on, or null to drop the event. */
export const serverEventParsers: {
  [E in ServerEvent]: (raw: unknown) => ServerEventPayloads[E] | null;
} = {
  message: (raw) => (isChatMessage(raw) ? raw : null),
  'message.batch': (raw) => (Array.isArray(raw) ? raw.filter(isChatMessage) : null),
  'message.updated': (raw) => (isChatMessage(raw) ? raw : null),
  'user.connected': (raw) => (isPresence(raw) ? raw : null),
  'user.disconnected': (raw) => (isPresence(raw) ? raw : null),
  'show.room': roomSummaryOf,
  'hide.room': (raw) => (isObject(raw) && isString(raw.id) ? { id: raw.id } : null),
  'room.member': membershipChangeOf,
  'room.read': (raw) =>
    isObject(raw) && isString(raw.roomId) && isString(raw.lastReadId)
      ? { roomId: raw.roomId, lastReadId: raw.lastReadId }
      : null,
  typing: typingNoticeOf,
};
