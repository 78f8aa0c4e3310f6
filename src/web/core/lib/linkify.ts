/**
 * Splits message text into plain text and web links. Only http(s) and www. addresses become
 * links, so a message can never smuggle a `javascript:` URL into an href; the text itself is always
 * rendered as text by React.
 */

export type TextPart =
  { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi;
/** Punctuation that usually ends a sentence rather than a URL. */
const TRAILING_PUNCTUATION = /[.,:;!?'"]+$/;

/** Drops a closing bracket that has no opening partner inside the URL, as in "(see http://x.y)". */
function trimUnbalanced(url: string): string {
  let result = url;
  for (const [open, close] of [
    ['(', ')'],
    ['[', ']'],
  ] as const) {
    while (result.endsWith(close) && result.split(close).length > result.split(open).length) {
      result = result.slice(0, -1);
    }
  }
  return result;
}

export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let url = match[0];
    // Trim punctuation and unbalanced brackets until stable: "(http://a.b/c)." ends as http://a.b/c.
    for (let previous = ''; previous !== url;) {
      previous = url;
      url = trimUnbalanced(url.replace(TRAILING_PUNCTUATION, ''));
    }
    if (!url || /^www\.$/i.test(url)) continue;
    const start = match.index;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    const href = /^www\./i.test(url) ? `https://${url}` : url;
    parts.push({ kind: 'link', text: url, href });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}
