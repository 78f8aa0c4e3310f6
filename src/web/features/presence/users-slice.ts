/**
 * Everyone this client knows: their names (for the timeline, the room list, @-suggestions) and
 * whether they are online. Names come from the online snapshot, presence events, member lists,
 * private rooms' summaries and batched look-ups of unknown senders.
 */
import type { RoomSummary, UserPresence } from '../../../protocol/index.js';
import { privateRoomMembers } from '../../../protocol/index.js';
import type { ChatEvent } from '../../core/events.js';
import { useSelector } from '../../core/store/index.js';
import type { WithSession } from '../auth/index.js';

export type UsersState = Record<string, UserPresence>;

export interface WithUsers {
  users: UsersState;
}

export type PresenceAction = {
  type: 'users.loaded';
  users: Record<string, UserPresence>;
  /** A snapshot of who is online: everyone missing from it is offline now. */
  onlineSnapshot: boolean;
};

export function initialUsersState(me: { id: string; username: string }): UsersState {
  return { [me.id]: { ...me, online: true } };
}

/** Private room summaries name both members: that is enough to know their usernames. */
function usersNamedBy(room: RoomSummary, users: UsersState): UsersState {
  const members = privateRoomMembers(room.id);
  if (!members) return users;
  let result = users;
  [members.low, members.high].forEach((id, index) => {
    const username = room.names[index];
    if (username && result[id]?.username !== username) {
      result = { ...result, [id]: { id, username, online: result[id]?.online ?? false } };
    }
  });
  return result;
}

/** Whether a presence event changes what we believed (and so deserves a notice). */
export function isPresenceChange(state: WithSession & WithUsers, user: UserPresence): boolean {
  return user.id !== state.session.me.id && state.users[user.id]?.online !== user.online;
}

export function usersReducer(
  slice: UsersState,
  action: ChatEvent | PresenceAction,
  root: WithSession & WithUsers,
): UsersState {
  const { me } = root.session;
  switch (action.type) {
    case 'rooms.listed':
      return action.rooms.reduce((users, room) => usersNamedBy(room, users), slice);
    case 'room.added':
      return usersNamedBy(action.room, slice);
    case 'members.listed': {
      // Presence already known is kept: events keep it live.
      const unknown = action.members.filter((member) => !slice[member.id]);
      if (unknown.length === 0) return slice;
      const users = { ...slice };
      for (const member of unknown) users[member.id] = member;
      return users;
    }
    case 'member.changed': {
      const { user, joined } = action.change;
      return slice[user.id] ? slice : { ...slice, [user.id]: { ...user, online: joined } };
    }
    case 'users.loaded': {
      const users = { ...slice };
      if (action.onlineSnapshot) {
        for (const [id, user] of Object.entries(users)) {
          if (user.online && !action.users[id] && id !== me.id) {
            users[id] = { ...user, online: false };
          }
        }
      }
      for (const [id, user] of Object.entries(action.users)) users[id] = user;
      users[me.id] = { ...me, online: true };
      return users;
    }
    case 'presence.changed': {
      const { user } = action;
      if (!isPresenceChange(root, user)) {
        return { ...slice, [user.id]: { ...slice[user.id], ...user } };
      }
      return { ...slice, [user.id]: user };
    }
    default:
      return slice;
  }
}

export const selectUser = (state: WithUsers, id: string): UserPresence | undefined =>
  state.users[id];

/** Who else is online, by name. */
export const selectOnlineOthers = (state: WithSession & WithUsers): UserPresence[] =>
  Object.values(state.users)
    .filter((user) => user.online && user.id !== state.session.me.id)
    .sort((a, b) => a.username.localeCompare(b.username));

/** Same name and presence: a fresh snapshot of who is online changes nothing on screen. */
const samePresence = (a: UserPresence | undefined, b: UserPresence | undefined) =>
  a === b ||
  (a !== undefined &&
    b !== undefined &&
    a.id === b.id &&
    a.username === b.username &&
    a.online === b.online);

const samePeople = (a: UserPresence[], b: UserPresence[]) =>
  a.length === b.length && a.every((user, index) => samePresence(user, b[index]));

export const useUser = (id: string | null | undefined): UserPresence | undefined =>
  useSelector((state: WithUsers) => (id ? selectUser(state, id) : undefined), samePresence);

export const useOnlineOthers = (): UserPresence[] => useSelector(selectOnlineOthers, samePeople);

/** How many others are online (General's header counts them). */
export const useOnlineOthersCount = (): number =>
  useSelector((state: WithSession & WithUsers) => selectOnlineOthers(state).length);
