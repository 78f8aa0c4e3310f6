/**
 * Message text as text (React escapes it), with web addresses turned into links and `@names`
 * shown as mention chips (the reader's own name stands out).
 */
import { Fragment, useMemo } from 'react';
import { linkify } from '../../core/lib/linkify.js';
import { TextWithMentions } from '../mentions/index.js';

export function MessageText({ text, meName }: { text: string; meName?: string }) {
  const parts = useMemo(() => linkify(text), [text]);
  return (
    <>
      {parts.map((part, index) =>
        part.kind === 'link' ? (
          <a key={index} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          <Fragment key={index}>
            <TextWithMentions text={part.text} meName={meName} />
          </Fragment>
        ),
      )}
    </>
  );
}
