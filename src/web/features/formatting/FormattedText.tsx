/**
 * Message text with its formatting. Text without Markdown syntax (most messages) is rendered as
 * plain text at once; text with some is rendered plain until the parser's chunk has arrived, then
 * formatted. The stored text is never changed: formatting is only how it is shown.
 */
import { useMemo } from 'react';
import type { Token } from 'marked';
import { LazyModule, useLazyModule } from './lazy-module.js';
import { MarkdownView } from './MarkdownView.js';
import { SHORTCODE_PATTERN, TextRun, type TextOptions } from './TextRun.js';

const markdownParser = new LazyModule(() => import('./markdown-parser.js'));
const emojiShortcodes = new LazyModule(() => import('./emoji-shortcodes.js'));

/** Starts loading the parser, so that formatted messages seldom show as typed first. */
export const preloadMarkdown = (): Promise<unknown> => markdownParser.load();

/** Loads the parser and the emoji table now, before a message needs them. */
export function preloadFormatting(): Promise<unknown> {
  return Promise.all([markdownParser.load(), emojiShortcodes.load()]);
}

/** The `:shortcode:` table once loaded (asked for while `wanted`): emoji by their names. */
export function useEmojiByShortcode(wanted: boolean): ReadonlyMap<string, string> | null {
  return useLazyModule(emojiShortcodes, wanted)?.emojiByShortcode ?? null;
}

/**
 * Something the chat subset would format: emphasis, code, strikethrough, a link, an escape, or a
 * quote or list marker at the start of a line. Without any, parsing would change nothing.
 */
const MARKDOWN_HINT = /[*_~`[\\]|^[ \t]*(?:>|[-+*][ \t]|\d{1,9}[.)][ \t])/m;

/** Parsed messages, so a room opened again (or a redraw) does not parse them anew. */
const parsedCache = new Map<string, Token[] | null>();
const CACHE_SIZE = 500;

function parsed(text: string, parse: (text: string) => Token[] | null): Token[] | null {
  if (parsedCache.has(text)) return parsedCache.get(text)!;
  const tokens = parse(text);
  if (parsedCache.size >= CACHE_SIZE) parsedCache.delete(parsedCache.keys().next().value!);
  parsedCache.set(text, tokens);
  return tokens;
}

export function FormattedText({ text, meName }: { text: string; meName?: string | undefined }) {
  const wantsMarkdown = MARKDOWN_HINT.test(text);
  const parser = useLazyModule(markdownParser, wantsMarkdown);
  const emoji = useLazyModule(emojiShortcodes, SHORTCODE_PATTERN.test(text))?.emojiByShortcode;
  const tokens = useMemo(
    () => (wantsMarkdown && parser ? parsed(text, parser.parseMarkdown) : null),
    [text, wantsMarkdown, parser],
  );
  const options: TextOptions = { meName, emoji: emoji ?? null };
  return tokens ? (
    <div className="formatted">
      <MarkdownView tokens={tokens} options={options} />
    </div>
  ) : (
    <TextRun text={text} options={options} />
  );
}
