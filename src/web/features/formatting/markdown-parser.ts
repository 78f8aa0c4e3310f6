/**
 * The Markdown parser, in a chunk of its own (see FormattedText): marked's lexer turns message text
 * into tokens, which our renderer maps to React elements. marked never produces HTML here, and the
 * syntax outside the chat subset is switched off, so it stays text as typed.
 */
import { Marked, type Token } from 'marked';

/** Turns a tokenizer off: marked then tries the next rule, and in the end takes it as text. */
const off = () => undefined;

const marked = new Marked({
  gfm: true,
  tokenizer: {
    // Not in a chat message: headings, rules, tables, raw HTML blocks, link definitions, and
    // code by indentation (pasted text is often indented; code blocks have fences).
    heading: off,
    lheading: off,
    hr: off,
    table: off,
    html: off,
    def: off,
    code: off,
  },
});

/** Quote markers (">") in a row past which a message is not parsed (the lexer recurses per level). */
const MAX_QUOTE_MARKERS = 16;
const DEEP_QUOTES = new RegExp(`^(?:[ \\t]*>){${MAX_QUOTE_MARKERS + 1}}`, 'm');

/** The message's tokens, or null when it is better shown as typed (too deeply nested to parse). */
export function parseMarkdown(text: string): Token[] | null {
  if (DEEP_QUOTES.test(text)) return null;
  try {
    return marked.lexer(text);
  } catch {
    // A stack overflow on some pathological nesting: the text as typed is still there.
    return null;
  }
}
