/**
 * A run of plain message text: web addresses become links, `@names` mention chips and
 * `:shortcodes:` emoji (once their table is loaded). React renders every character as text.
 */
import { Fragment } from 'react';
import { linkify } from '../../core/lib/linkify.js';
import { TextWithMentions } from '../mentions/index.js';
import { SafeLink, safeHref } from './safe-link.js';

export interface TextOptions {
  /** The reader's name, whose mentions stand out. */
  meName?: string | undefined;
  /** `:shortcode:` → emoji, when loaded. */
  emoji: ReadonlyMap<string, string> | null;
  /** Inside a link's text: addresses there are text (a link cannot hold another). */
  inLink?: boolean;
}

/** Something like a shortcode: what makes the emoji table worth loading. */
export const SHORTCODE_PATTERN = /:[a-z0-9_+-]+:/i;
const SHORTCODES = /:([a-z0-9_+-]+):/gi;

/** Replaces known shortcodes with their emoji; unknown ones stay as typed. */
export function withEmoji(text: string, emoji: ReadonlyMap<string, string> | null): string {
  if (!emoji || !text.includes(':')) return text;
  return text.replace(SHORTCODES, (code, name: string) => emoji.get(name.toLowerCase()) ?? code);
}

export function TextRun({ text, options }: { text: string; options: TextOptions }) {
  return (
    <>
      {(options.inLink ? [{ kind: 'text' as const, text }] : linkify(text)).map((part, index) => {
        const href = part.kind === 'link' ? safeHref(part.href) : null;
        return href ? (
          <SafeLink key={index} href={href}>
            {part.text}
          </SafeLink>
        ) : (
          <Fragment key={index}>
            <TextWithMentions text={withEmoji(part.text, options.emoji)} meName={options.meName} />
          </Fragment>
        );
      })}
    </>
  );
}
