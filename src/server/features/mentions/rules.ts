/**
 * `@username` mentions. A mention counts only for someone who can read the room: anyone in
 * General, the two members of a private room, the members of a group. Names are resolved to ids
 * when the message is stored, so clients highlight by id and names may change later.
 */
import {
  isGeneralRoom,
  isPrivateRoomMember,
  privateRoomMembers,
} from '../../../protocol/room-ids.js';
import type { MentionDirectory } from './ports.js';

const MENTION_PATTERN = /(^|[^A-Za-z0-9._-])@([A-Za-z0-9._-]{1,32})/g;

/**
 * The distinct usernames written as `@name` in a text, the first `max` of them: each costs a
 * lookup, and a message naming hundreds would otherwise cost hundreds of Redis commands.
 */
export function mentionedUsernames(text: string, max = Infinity): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(MENTION_PATTERN)) {
    if (names.size >= max) break;
    // A trailing dot is punctuation ("thanks @Mary."), not part of the name.
    const name = match[2]?.replace(/\.+$/, '');
    if (name) names.add(name);
  }
  return [...names];
}

/** Ids of the users named as `@username` in a text who count in the room. */
export async function resolveMentions(
  directory: MentionDirectory,
  roomId: string,
  text: string,
  /** MENTIONS_PER_MESSAGE: the names after these are not looked up. */
  max = Infinity,
): Promise<string[]> {
  // Looked up together: node-redis sends the lookups in one write, one round trip.
  const names = mentionedUsernames(text, max);
  if (names.length === 0) return [];
  const found = await Promise.all(names.map((name) => directory.idOfUsername(name)));
  const ids = [...new Set(found)].filter((id): id is string => id !== null);
  if (isGeneralRoom(roomId)) return ids;
  const direct = privateRoomMembers(roomId);
  if (direct) return ids.filter((id) => isPrivateRoomMember(direct, id));
  // A group: ask about the few people named, not for the whole member list.
  const member = await Promise.all(ids.map((id) => directory.isGroupMember(roomId, id)));
  return ids.filter((_, i) => member[i]);
}
