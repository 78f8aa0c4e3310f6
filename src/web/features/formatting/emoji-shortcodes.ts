/**
 * `:shortcode:` → emoji, from Emojibase's GitHub set (the names people type in GitHub, Slack and
 * most chat apps). In a chunk of its own, loaded when a message holds something like a shortcode.
 */
import shortcodes from 'emojibase-data/en/shortcodes/github.json' with { type: 'json' };

/** "1F44D" or "1F468-200D-1F4BB" to the characters, with the emoji presentation where it is not the default. */
function emojiOf(hexcode: string): string {
  const text = String.fromCodePoint(...hexcode.split('-').map((hex) => Number.parseInt(hex, 16)));
  // Emojibase leaves out U+FE0F; a lone ❤ or ☀ would show as a black-and-white glyph without it.
  return [...text].length === 1 && !/\p{Emoji_Presentation}/u.test(text) ? `${text}\uFE0F` : text;
}

function buildTable(): ReadonlyMap<string, string> {
  const table = new Map<string, string>();
  for (const [hexcode, names] of Object.entries(shortcodes as Record<string, string | string[]>)) {
    const emoji = emojiOf(hexcode);
    for (const name of Array.isArray(names) ? names : [names]) table.set(name, emoji);
  }
  return table;
}

export const emojiByShortcode: ReadonlyMap<string, string> = buildTable();
