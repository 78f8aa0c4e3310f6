/**
 * What makes user text (room names, messages) safe to show to others, as character classes.
 * The rooms and messages rules decide which of these apply to what they store.
 *
 * - Control characters (C0, DEL, C1) are invisible or move the cursor in terminals and logs.
 * - Bidirectional overrides, embeddings and isolates (U+202A–202E, U+2066–2069) reorder the
 *   text around them: "gnp.exe" can be made to read "exe.png", a room name can make the
 *   sidebar lie. Plain right-to-left text needs none of them (clients isolate each text).
 * - Invisible characters (zero-width spaces and joiners, word joiners, variation selectors,
 *   soft hyphens: Unicode's Default_Ignorable_Code_Point) and blanks: text made only of them
 *   looks empty.
 */

/** C0 and C1 controls and DEL, except the newline and tab that messages may hold. */
const CONTROL_EXCEPT_LINE_BREAKS = /(?![\n\t])\p{Cc}/u;
const CONTROL = /\p{Cc}/u;
/** Embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
/** Characters that draw nothing. */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{White_Space}]/gu;
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/** A rule user text breaks, named as the API's error code names it. */
export type TextProblem = 'control_characters' | 'bidi_controls' | 'invisible_text';

export interface TextCheck {
  /** Newline and tab are allowed (messages). */
  allowLineBreaks: boolean;
}

/** The text in Unicode's composed form (NFC), so that one word is stored one way. */
export const normalizeText = (text: string) => text.normalize('NFC');

/** The first rule the text breaks, or null. */
export function textProblem(text: string, { allowLineBreaks }: TextCheck): TextProblem | null {
  if ((allowLineBreaks ? CONTROL_EXCEPT_LINE_BREAKS : CONTROL).test(text)) {
    return 'control_characters';
  }
  if (BIDI_CONTROL.test(text)) return 'bidi_controls';
  if (text.replace(INVISIBLE, '').length === 0) return 'invisible_text';
  return null;
}

/**
 * What a name looks like, for telling names apart as people read them: compatibility forms
 * folded (full-width "Ｇｅｎｅｒａｌ", ligatures, superscripts: NFKC), case folded, and every
 * invisible character dropped, blanks collapsed to one space. Two names with one skeleton are one name.
 */
export function nameSkeleton(name: string): string {
  // Lower-casing can produce forms NFKC composes differently (İ → i̇): normalize once more.
  return name
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFKC')
    .replace(DEFAULT_IGNORABLE, '')
    .replace(/\p{White_Space}+/gu, ' ')
    .trim();
}
