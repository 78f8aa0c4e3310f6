/**
 * Read receipts in private rooms: how far the other member has read each one, from the server
 * (`room.seen`, GET /room/:id/seen) and from their own messages (writing means having read).
 * "Seen" goes under the newest of the reader's messages the other member has read.
 */
import {
  privateRoomPartner,
  type ChatMessage,
  type PeerReadMarker,
} from '../../../protocol/index.js';
import type { ChatEvent } from '../../core/events.js';
import { compareMessageIds } from '../../core/lib/message-order.js';
import { useSelector } from '../../core/store/index.js';
import type { WithSession } from '../auth/index.js';
import type { WithTimelines } from '../messages/index.js';

/** Private room id -> the newest message the other member has read there. */
export type ReceiptsState = Record<string, string>;

export interface WithReceipts {
  receipts: ReceiptsState;
}

export type ReceiptsAction = { type: 'receipt.received'; receipt: PeerReadMarker };

function readTo(slice: ReceiptsState, roomId: string, messageId: string): ReceiptsState {
  const known = slice[roomId];
  if (known !== undefined && compareMessageIds(messageId, known) <= 0) return slice;
  return { ...slice, [roomId]: messageId };
}

export function receiptsReducer(
  slice: ReceiptsState,
  action: ReceiptsAction | ChatEvent,
  root: WithSession,
): ReceiptsState {
  switch (action.type) {
    case 'receipt.received': {
      const { roomId, lastReadId } = action.receipt;
      return lastReadId ? readTo(slice, roomId, lastReadId) : slice;
    }
    case 'messages.arrived': {
      let next = slice;
      for (const message of action.messages) {
        const partner = privateRoomPartner(message.roomId, root.session.me.id);
        if (partner && message.from === partner) next = readTo(next, message.roomId, message.id);
      }
      return next;
    }
    case 'room.left': {
      if (!(action.roomId in slice)) return slice;
      const { [action.roomId]: _left, ...rest } = slice;
      return rest;
    }
    default:
      return slice;
  }
}

/** One answer per timeline and receipt: every message of a room asks the same question. */
const seenCache = new WeakMap<readonly ChatMessage[], { receipt: string; id: string | null }>();

/** The newest of the reader's messages in a private room that the other member has read. */
export function selectSeenMessageId(
  state: WithSession & WithTimelines & WithReceipts,
  roomId: string,
): string | null {
  const receipt = state.receipts[roomId];
  const messages = state.timelines[roomId]?.messages;
  if (!receipt || !messages) return null;
  const cached = seenCache.get(messages);
  if (cached?.receipt === receipt) return cached.id;
  const meId = state.session.me.id;
  const seen = messages.findLast(
    (message) => message.from === meId && compareMessageIds(message.id, receipt) <= 0,
  );
  const id = seen?.id ?? null;
  seenCache.set(messages, { receipt, id });
  return id;
}

export const useSeenHere = (roomId: string, messageId: string): boolean =>
  useSelector(
    (state: WithSession & WithTimelines & WithReceipts) =>
      selectSeenMessageId(state, roomId) === messageId,
  );
