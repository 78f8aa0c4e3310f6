/**
 * How text becomes search terms, shared by the server (which indexes and queries with it) and the
 * web client (which highlights the words a hit matched). Both sides must cut words the same way,
 * or a highlighted word would not be the one that matched.
 *
 * NFKC folds compatibility forms (full-width letters, ligatures, superscripts) into their plain
 * letters and Unicode lower-casing folds case in every script; a word is a run of letters, marks
 * and digits. Words shorter than SEARCH_TERM_MIN_LENGTH are dropped: they would match nearly every
 * message and cost an index entry each.
 */

/** Words shorter than this (in code points) are neither indexed nor searched. */
export const SEARCH_TERM_MIN_LENGTH = 2;
/** Longer words are cut to this many code points, so a pasted blob cannot make huge keys. */
export const SEARCH_TERM_MAX_LENGTH = 40;
/** At most this many words of a query are used (all of them must match). */
export const SEARCH_QUERY_MAX_TERMS = 8;
/** Longest query accepted, in characters. */
export const SEARCH_QUERY_MAX_LENGTH = 200;

const WORD = /[\p{L}\p{M}\p{N}]+/gu;

const fold = (text: string) => text.normalize('NFKC').toLowerCase();

function termOf(word: string): string | null {
  const points = [...word];
  if (points.length < SEARCH_TERM_MIN_LENGTH) return null;
  return points.length > SEARCH_TERM_MAX_LENGTH
    ? points.slice(0, SEARCH_TERM_MAX_LENGTH).join('')
    : word;
}

/** The distinct search terms of a text, in order of first appearance. */
export function searchTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const [word] of fold(text).matchAll(WORD)) {
    const term = termOf(word);
    if (term) terms.add(term);
  }
  return [...terms];
}

/** A part of a text, marked when it is a word that one of the terms matched. */
export interface TextPart {
  text: string;
  match: boolean;
}

/**
 * Cuts a text into parts, marking the words that match one of `terms` (as searchTerms folds
 * them), for highlighting. The parts joined give the text back unchanged.
 */
export function markMatches(text: string, terms: readonly string[]): TextPart[] {
  const wanted = new Set(terms);
  const parts: TextPart[] = [];
  let last = 0;
  for (const found of text.matchAll(WORD)) {
    const word = found[0];
    // A word's folded form may itself contain several words (NFKC turns "½" into "1⁄2").
    const matches = searchTerms(word).some((term) => wanted.has(term));
    if (!matches) continue;
    if (found.index > last) parts.push({ text: text.slice(last, found.index), match: false });
    parts.push({ text: word, match: true });
    last = found.index + word.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false });
  return parts;
}
