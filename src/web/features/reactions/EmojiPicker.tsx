/**
 * Choosing a reaction: a dialog with the common ones, and a search over every emoji by its name
 * (the shortcode table the formatting feature loads in a chunk of its own, fetched on first use).
 */
import { useId, useMemo, useState } from 'react';
import { Dialog } from '../../core/ui/index.js';
import { useEmojiByShortcode } from '../formatting/index.js';

/** The reactions most chats offer first, with the names people search them by. */
export const COMMON_REACTIONS: readonly { emoji: string; name: string }[] = [
  { emoji: '👍', name: 'thumbs up' },
  { emoji: '❤️', name: 'heart' },
  { emoji: '😂', name: 'joy' },
  { emoji: '🎉', name: 'tada' },
  { emoji: '😮', name: 'open mouth' },
  { emoji: '😢', name: 'cry' },
  { emoji: '🙏', name: 'pray' },
  { emoji: '🔥', name: 'fire' },
  { emoji: '👀', name: 'eyes' },
  { emoji: '✅', name: 'white check mark' },
  { emoji: '👏', name: 'clap' },
  { emoji: '🚀', name: 'rocket' },
];

const RESULTS_SHOWN = 48;

/** Emoji whose name contains every word of the query, names starting with it first. */
export function findEmoji(
  table: ReadonlyMap<string, string>,
  query: string,
): { emoji: string; name: string }[] {
  const words = query
    .toLowerCase()
    .split(/[\s_]+/)
    .filter(Boolean);
  if (words.length === 0) return [];
  const found = new Map<string, { name: string; rank: number }>();
  for (const [shortcode, emoji] of table) {
    const name = shortcode.replaceAll('_', ' ');
    if (!words.every((word) => name.includes(word))) continue;
    const rank = name.startsWith(words[0]!) ? 0 : 1;
    const known = found.get(emoji);
    if (!known || rank < known.rank) found.set(emoji, { name, rank });
  }
  return [...found]
    .sort((a, b) => a[1].rank - b[1].rank || a[1].name.localeCompare(b[1].name))
    .slice(0, RESULTS_SHOWN)
    .map(([emoji, { name }]) => ({ emoji, name }));
}

export interface EmojiPickerProps {
  onPick: (emoji: string) => void;
  onClose: () => void;
}

export function EmojiPicker({ onPick, onClose }: EmojiPickerProps) {
  const [query, setQuery] = useState('');
  const searchId = useId();
  const searching = query.trim().length > 0;
  const table = useEmojiByShortcode(searching);
  const results = useMemo(
    () => (searching && table ? findEmoji(table, query) : COMMON_REACTIONS),
    [searching, table, query],
  );
  const pick = (emoji: string) => {
    onPick(emoji);
    onClose();
  };
  return (
    <Dialog label="Add a reaction" onClose={onClose} className="emoji-picker">
      <div className="field">
        <label className="field__label" htmlFor={searchId}>
          Search emoji by name
        </label>
        <input
          id={searchId}
          type="search"
          placeholder="heart, smile, thumbs…"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          data-autofocus
        />
      </div>
      <p className="visually-hidden" role="status">
        {searching && !table ? 'Loading emoji…' : `${results.length} emoji`}
      </p>
      <div className="emoji-picker__grid" role="group" aria-label={searching ? 'Found' : 'Common'}>
        {results.map(({ emoji, name }) => (
          <button
            key={emoji}
            type="button"
            className="emoji-picker__emoji"
            aria-label={name}
            title={name}
            onClick={() => pick(emoji)}
          >
            {emoji}
          </button>
        ))}
      </div>
      {searching && table && results.length === 0 && (
        <p className="emoji-picker__empty">No emoji has a name like that.</p>
      )}
    </Dialog>
  );
}
