/**
 * `@username` mentions on the client: finding the `@word` being typed at the caret, the members
 * that match it, putting the chosen name in, and splitting message text into text and mentions.
 * Names follow the server's rule: letters, digits, ".", "_" and "-", after a non-name character.
 */

const NAME_CHAR = /[A-Za-z0-9._-]/;
const MENTION_PATTERN = /(^|[^A-Za-z0-9._-])@([A-Za-z0-9._-]{1,32})/g;
/** Suggestions shown at once; typing more narrows them. */
export const SUGGESTIONS_SHOWN = 8;

export interface MentionQuery {
  /** Index of the `@`. */
  start: number;
  /** What follows the `@` up to the caret. */
  query: string;
}

/** The `@word` the caret is in or right after, if any. */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  let index = caret;
  while (index > 0 && NAME_CHAR.test(text[index - 1]!)) index--;
  if (index === 0 || text[index - 1] !== '@') return null;
  const start = index - 1;
  // "mail@example" is an address, not a mention.
  if (start > 0 && NAME_CHAR.test(text[start - 1]!)) return null;
  const query = text.slice(index, caret);
  return query.length > 32 ? null : { start, query };
}

/** Members whose name starts with the query first, then those that contain it; ignoring case. */
export function filterMembers<T extends { username: string }>(
  members: readonly T[],
  query: string,
  limit = SUGGESTIONS_SHOWN,
): T[] {
  const needle = query.toLowerCase();
  const starts: T[] = [];
  const contains: T[] = [];
  for (const member of members) {
    const name = member.username.toLowerCase();
    if (name.startsWith(needle)) starts.push(member);
    else if (name.includes(needle)) contains.push(member);
  }
  return [...starts, ...contains].slice(0, limit);
}

/** Replaces the `@query` at `start` (up to the caret) with `@username ` and says where the caret goes. */
export function insertMention(
  text: string,
  query: MentionQuery,
  caret: number,
  username: string,
): { text: string; caret: number } {
  const inserted = `@${username} `;
  // A space already following the word is kept rather than doubled.
  const rest = text
    .slice(caret)
    .replace(/^[A-Za-z0-9._-]*/, '')
    .replace(/^ /, '');
  return {
    text: text.slice(0, query.start) + inserted + rest,
    caret: query.start + inserted.length,
  };
}

export type MentionPart =
  { kind: 'text'; text: string } | { kind: 'mention'; text: string; name: string };

/** Splits text into plain runs and `@name` mentions (a trailing "." is punctuation, as on the server). */
export function splitMentions(text: string): MentionPart[] {
  const parts: MentionPart[] = [];
  let last = 0;
  for (const match of text.matchAll(MENTION_PATTERN)) {
    const name = (match[2] ?? '').replace(/\.+$/, '');
    if (!name) continue;
    const start = match.index + (match[1]?.length ?? 0);
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'mention', text: `@${name}`, name });
    last = start + name.length + 1;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/** Whether the server found `userId` named in the message (its `mentions`, set when it was stored). */
export const mentionsUser = (message: { mentions?: string[] }, userId: string): boolean =>
  message.mentions?.includes(userId) ?? false;
