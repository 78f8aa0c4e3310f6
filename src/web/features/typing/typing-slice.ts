/** Who else is typing in each room, until they stop, send, or their notice expires. */
import type { TypingNotice } from '../../../protocol/index.js';
import type { ChatEvent } from '../../core/events.js';
import { shallowEqual, useSelector } from '../../core/store/index.js';
import type { WithSession } from '../auth/index.js';
import { arrivalIn, messagesByRoom, type WithTimelines } from '../messages/index.js';
import type { Typist } from './typing.js';

export type TypistsState = Record<string, Typist[]>;

export interface WithTypists {
  typists: TypistsState;
}

export type TypingAction =
  /** `until`: when the notice expires unless renewed (ms since epoch). */
  | { type: 'typing.changed'; notice: TypingNotice; until: number }
  | { type: 'typing.expired'; roomId: string; now: number };

const NOBODY: Typist[] = [];

function setTypists(slice: TypistsState, roomId: string, typists: Typist[]): TypistsState {
  if (typists.length > 0) return { ...slice, [roomId]: typists };
  const { [roomId]: _gone, ...rest } = slice;
  return rest;
}

export function typistsReducer(
  slice: TypistsState,
  action: ChatEvent | TypingAction,
  root: WithSession & WithTimelines,
): TypistsState {
  switch (action.type) {
    case 'typing.changed': {
      const { notice, until } = action;
      // Only rooms the user is in, and never the user.
      if (notice.userId === root.session.me.id || !root.timelines[notice.roomId]) return slice;
      const known = slice[notice.roomId] ?? NOBODY;
      const others = known.filter((typist) => typist.userId !== notice.userId);
      if (!notice.typing) {
        return others.length === known.length ? slice : setTypists(slice, notice.roomId, others);
      }
      const typist: Typist = { userId: notice.userId, username: notice.username, until };
      // Renewals keep their place, so the sentence does not reshuffle while people type.
      const index = known.findIndex((entry) => entry.userId === notice.userId);
      const typists =
        index < 0 ? [...known, typist] : known.map((entry, i) => (i === index ? typist : entry));
      return setTypists(slice, notice.roomId, typists);
    }
    case 'typing.expired': {
      const known = slice[action.roomId];
      if (!known) return slice;
      const typists = known.filter((typist) => typist.until > action.now);
      return typists.length === known.length ? slice : setTypists(slice, action.roomId, typists);
    }
    case 'messages.arrived': {
      // Whoever just wrote is no longer typing.
      let next = slice;
      for (const [roomId, incoming] of messagesByRoom(action.messages)) {
        const known = next[roomId];
        if (!known) continue;
        const { added } = arrivalIn(root.timelines[roomId], incoming);
        const typists = known.filter(
          (typist) => !added.some((message) => message.from === typist.userId),
        );
        if (typists.length !== known.length) next = setTypists(next, roomId, typists);
      }
      return next;
    }
    case 'room.left':
      return slice[action.roomId] ? setTypists(slice, action.roomId, []) : slice;
    default:
      return slice;
  }
}

export const selectTypists = (state: WithTypists, roomId: string): Typist[] =>
  state.typists[roomId] ?? NOBODY;

export const useTypists = (roomId: string): Typist[] =>
  useSelector((state: WithTypists) => selectTypists(state, roomId), shallowEqual);
