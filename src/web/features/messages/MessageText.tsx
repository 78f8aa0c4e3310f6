/**
 * Message text as text (React escapes it), with web addresses turned into links and `@names`
 * shown as mention chips (the reader's own name stands out).
 */
import { Fragment, useMemo } from 'react';
import { linkify } from '../../lib/linkify.js';
import { splitMentions } from './mentions.js';

export function MessageText({ text, meName }: { text: string; meName?: string }) {
  const parts = useMemo(() => linkify(text), [text]);
  const me = meName?.toLowerCase();
  return (
    <>
      {parts.map((part, index) =>
        part.kind === 'link' ? (
          <a key={index} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          <Fragment key={index}>
            {splitMentions(part.text).map((piece, pieceIndex) =>
              piece.kind === 'mention' ? (
                <span
                  key={pieceIndex}
                  className={`mention${piece.name.toLowerCase() === me ? ' mention--me' : ''}`}
                >
                  {piece.text}
                </span>
              ) : (
                <Fragment key={pieceIndex}>{piece.text}</Fragment>
              ),
            )}
          </Fragment>
        ),
      )}
    </>
  );
}
