/**
 * The facts the features tell each other, in the contract's own types. A feature's reducer handles
 * its own actions and these; it never handles another feature's actions. A new message, say, is
 * one `messages.arrived`: the timeline merges it, the room list moves its room up, the unread
 * count grows, and its author stops typing, each in its own feature.
 */
import type {
  ChatMessage,
  RoomMembershipChange,
  RoomSummary,
  UserPresence,
} from '../../protocol/index.js';

export type ChatEvent =
  /** Messages from the server: live, in a batch, caught up after a reconnect, or an ack's copy. */
  | { type: 'messages.arrived'; messages: ChatMessage[] }
  /** The user's rooms as the server lists them. */
  | { type: 'rooms.listed'; rooms: RoomSummary[] }
  /** One room joined, created, opened or announced (show.room). */
  | { type: 'room.added'; room: RoomSummary }
  /** The user opened a room they are in. */
  | { type: 'room.opened'; roomId: string }
  /** The user is no longer in a room (left here or elsewhere). General is never left. */
  | { type: 'room.left'; roomId: string }
  | { type: 'members.listed'; roomId: string; members: UserPresence[] }
  | { type: 'member.changed'; change: RoomMembershipChange }
  /** Someone came online or went offline. `noticeId` names the notice General may show for it. */
  | { type: 'presence.changed'; user: UserPresence; noticeId: string };
