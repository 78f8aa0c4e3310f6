/**
 * `@username` mentions. A mention counts only for a member of the room; the server resolves names
 * to ids when the message is stored, so clients highlight by id and names may change later.
 */
const MENTION_PATTERN = /(^|[^A-Za-z0-9._-])@([A-Za-z0-9._-]{1,32})/g;

/** The distinct usernames written as `@name` in a text. */
export function mentionedUsernames(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(MENTION_PATTERN)) {
    // A trailing dot is punctuation ("thanks @Mary."), not part of the name.
    const name = match[2]?.replace(/\.+$/, '');
    if (name) names.add(name);
  }
  return [...names];
}
