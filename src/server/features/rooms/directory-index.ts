/**
 * What the room directory indexes, and how a page is asked for. The index (the store's) holds
 * sorted entries of plain text, so that a prefix of a search is a range of them and a page costs
 * the same however many rooms there are. Substring search is approximated by word starts: a name
 * is entered once per word, from that word to the end, so "des" finds "Design" and "UX design"
 * but not "undesigned". Text is folded (NFC, lower case) the same way for names and searches.
 */

/** The folded form of a name or a search. */
export const foldForDirectory = (text: string) => text.normalize('NFC').toLowerCase();

/** A letter or digit with none right before it: where a word starts. */
const WORD_START = /(?<![\p{L}\p{N}])[\p{L}\p{N}]/gu;

/**
 * The texts a room is found by: its whole folded name, and the rest of it from each later word
 * start ("ux design review" → "ux design review", "design review", "review").
 */
export function wordStartsOf(name: string): string[] {
  const folded = foldForDirectory(name);
  const starts = new Set<number>([0]);
  for (const match of folded.matchAll(WORD_START)) starts.add(match.index);
  return [...starts].map((start) => folded.slice(start));
}

/**
 * An index entry: the text, then the room's id after a NUL, which sorts before every character,
 * so that "design" comes before "design review" and equal texts are ordered by id.
 */
export const directoryEntry = (text: string, roomId: string) => `${text}\u0000${roomId}`;

/** The room id of an entry; null for text that is not one. */
export function roomIdOfEntry(entry: string): string | null {
  const separator = entry.lastIndexOf('\u0000');
  return separator < 0 ? null : entry.slice(separator + 1);
}

/** The entries a room is listed under: its whole name, and its word starts. */
export function directoryEntriesOf(roomId: string, name: string) {
  const [whole = '', ...rest] = wordStartsOf(name);
  return {
    name: directoryEntry(whole, roomId),
    words: [whole, ...rest].map((text) => directoryEntry(text, roomId)),
  };
}

/** A page cursor: the entry a page ended at, opaque to clients (base64url). */
export const encodeCursor = (entry: string) => Buffer.from(entry, 'utf8').toString('base64url');

/** The entry of a cursor; null for one not made by encodeCursor for this search. */
export function decodeCursor(cursor: string, folded: string): string | null {
  const entry = Buffer.from(cursor, 'base64url').toString('utf8');
  return entry.startsWith(folded) && roomIdOfEntry(entry) !== null ? entry : null;
}
