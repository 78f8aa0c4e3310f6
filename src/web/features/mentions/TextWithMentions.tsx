/** Plain text with its `@names` shown as mention chips; the reader's own name stands out. */
import { Fragment } from 'react';
import { splitMentions } from './mentions.js';

export function TextWithMentions({ text, meName }: { text: string; meName?: string | undefined }) {
  const me = meName?.toLowerCase();
  return (
    <>
      {splitMentions(text).map((piece, index) =>
        piece.kind === 'mention' ? (
          <span
            key={index}
            className={`mention${piece.name.toLowerCase() === me ? ' mention--me' : ''}`}
          >
            {piece.text}
          </span>
        ) : (
          <Fragment key={index}>{piece.text}</Fragment>
        ),
      )}
    </>
  );
}
