/**
 * marked's tokens as React elements, for the chat subset only: paragraphs, bold, italic,
 * strikethrough, inline code, code blocks, quotes, lists and links. Any other token — raw HTML,
 * images (which would be fetched), a link to anything but a web or mail address — is shown as the
 * text that was typed. Nothing is ever inserted as HTML.
 */
import type { ReactNode } from 'react';
import type { Token, Tokens } from 'marked';
import { SafeLink, safeHref } from './safe-link.js';
import { TextRun, type TextOptions } from './TextRun.js';

/** Quotes, lists and inline styles nested deeper than this are shown as typed. */
export const MAX_NESTING = 8;

interface Context extends TextOptions {
  depth: number;
}

const deeper = (context: Context): Context => ({ ...context, depth: context.depth + 1 });

/** What was typed for a token, without the line break that ends a block. */
const asTyped = (token: Token) => token.raw.replace(/\n+$/, '');

function renderBlocks(tokens: readonly Token[], context: Context): ReactNode[] {
  return tokens.map((token, index) => renderBlock(token, index, context));
}

function renderBlock(token: Token, key: number, context: Context): ReactNode {
  if (context.depth > MAX_NESTING) return <p key={key}>{asTyped(token)}</p>;
  switch (token.type) {
    case 'space':
      return null;
    case 'paragraph':
      return <p key={key}>{renderInline((token as Tokens.Paragraph).tokens, context)}</p>;
    case 'text': {
      // The text of a tight list item: inline tokens without a paragraph around them.
      const text = token as Tokens.Text;
      return (
        <span key={key}>
          {text.tokens ? (
            renderInline(text.tokens, context)
          ) : (
            <TextRun text={text.text} options={context} />
          )}
        </span>
      );
    }
    case 'code':
      // A fence with nothing in it (a row of backticks, say) would show as an empty box.
      if (!(token as Tokens.Code).text.trim()) return <p key={key}>{asTyped(token)}</p>;
      return (
        <pre key={key}>
          <code>{(token as Tokens.Code).text}</code>
        </pre>
      );
    case 'blockquote':
      return (
        <blockquote key={key}>
          {renderBlocks((token as Tokens.Blockquote).tokens, deeper(context))}
        </blockquote>
      );
    case 'list': {
      const list = token as Tokens.List;
      const items = list.items.map((item, index) => (
        <li key={index}>{renderBlocks(item.tokens, deeper(context))}</li>
      ));
      return list.ordered ? (
        <ol
          key={key}
          start={typeof list.start === 'number' && list.start !== 1 ? list.start : undefined}
        >
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    default:
      return <p key={key}>{asTyped(token)}</p>;
  }
}

function renderInline(tokens: readonly Token[] | undefined, context: Context): ReactNode[] {
  return (tokens ?? []).map((token, index) => renderInlineToken(token, index, context));
}

function renderInlineToken(token: Token, key: number, context: Context): ReactNode {
  if (context.depth > MAX_NESTING) return <TextRun key={key} text={token.raw} options={context} />;
  switch (token.type) {
    case 'text':
    case 'escape':
      return <TextRun key={key} text={(token as Tokens.Text).text} options={context} />;
    case 'strong':
      return (
        <strong key={key}>{renderInline((token as Tokens.Strong).tokens, deeper(context))}</strong>
      );
    case 'em':
      return <em key={key}>{renderInline((token as Tokens.Em).tokens, deeper(context))}</em>;
    case 'del':
      return <s key={key}>{renderInline((token as Tokens.Del).tokens, deeper(context))}</s>;
    case 'codespan':
      return <code key={key}>{(token as Tokens.Codespan).text}</code>;
    case 'br':
      return <br key={key} />;
    case 'link': {
      const link = token as Tokens.Link;
      // A bare address: the same rules as in plain messages decide where it ends.
      if (link.autolink) {
        return <TextRun key={key} text={link.raw} options={context} />;
      }
      const href = safeHref(link.href);
      if (!href) return <TextRun key={key} text={link.raw} options={context} />;
      return (
        <SafeLink key={key} href={href} showDomain={link.text.trim() !== link.href}>
          {renderInline(link.tokens, { ...deeper(context), inLink: true })}
        </SafeLink>
      );
    }
    default:
      // Raw HTML, images, a checkbox: as typed.
      return <TextRun key={key} text={token.raw} options={context} />;
  }
}

export function MarkdownView({
  tokens,
  options,
}: {
  tokens: readonly Token[];
  options: TextOptions;
}) {
  return <>{renderBlocks(tokens, { ...options, depth: 0 })}</>;
}
