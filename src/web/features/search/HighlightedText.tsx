/**
 * A hit's text with the words that matched marked. Text only: every part is a React text node
 * (in <mark> or not), so whatever the message holds is shown as typed, never parsed as HTML.
 */
import { markMatches } from '../../../protocol/index.js';

export function HighlightedText({ text, terms }: { text: string; terms: readonly string[] }) {
  return (
    <>
      {markMatches(text, terms).map((part, index) =>
        part.match ? <mark key={index}>{part.text}</mark> : part.text,
      )}
    </>
  );
}
