/**
 * Reactions per message, as the server last told them: loaded with each page of history, replaced
 * by every `message.reactions` event and by the answer to our own change; and the reason our last
 * change of a message's reactions was refused, shown under it until the next try.
 */
import type { MessageReactions, Reaction } from '../../../protocol/index.js';
import { useSelector } from '../../core/store/index.js';

export interface ReactionsState {
  /** `{roomId}/{messageId}` -> the message's reactions, first used first. */
  byMessage: Record<string, Reaction[]>;
  /** `{roomId}/{messageId}` -> why our change was refused. */
  refusals: Record<string, string>;
}

export interface WithReactions {
  reactions: ReactionsState;
}

export type ReactionsAction =
  | { type: 'reactions.received'; list: MessageReactions[] }
  | { type: 'reaction.tried'; roomId: string; messageId: string }
  | { type: 'reaction.refused'; roomId: string; messageId: string; reason: string };

const keyOf = (roomId: string, messageId: string) => `${roomId}/${messageId}`;
const NO_REACTIONS: Reaction[] = [];

export const initialReactionsState = (): ReactionsState => ({ byMessage: {}, refusals: {} });

export function reactionsReducer(slice: ReactionsState, action: ReactionsAction): ReactionsState {
  switch (action.type) {
    case 'reactions.received': {
      let byMessage = slice.byMessage;
      for (const { roomId, messageId, reactions } of action.list) {
        const key = keyOf(roomId, messageId);
        if (reactions.length === 0 && !(key in byMessage)) continue;
        if (byMessage === slice.byMessage) byMessage = { ...byMessage };
        if (reactions.length === 0) delete byMessage[key];
        else byMessage[key] = reactions;
      }
      return byMessage === slice.byMessage ? slice : { ...slice, byMessage };
    }
    case 'reaction.tried': {
      const key = keyOf(action.roomId, action.messageId);
      if (!(key in slice.refusals)) return slice;
      const { [key]: _cleared, ...refusals } = slice.refusals;
      return { ...slice, refusals };
    }
    case 'reaction.refused': {
      const key = keyOf(action.roomId, action.messageId);
      return { ...slice, refusals: { ...slice.refusals, [key]: action.reason } };
    }
    default:
      return slice;
  }
}

export const selectReactions = (state: WithReactions, roomId: string, messageId: string) =>
  state.reactions.byMessage[keyOf(roomId, messageId)] ?? NO_REACTIONS;

export const selectReactionRefusal = (state: WithReactions, roomId: string, messageId: string) =>
  state.reactions.refusals[keyOf(roomId, messageId)] ?? null;

export const useReactions = (roomId: string, messageId: string) =>
  useSelector((state: WithReactions) => selectReactions(state, roomId, messageId));

export const useReactionRefusal = (roomId: string, messageId: string) =>
  useSelector((state: WithReactions) => selectReactionRefusal(state, roomId, messageId));
