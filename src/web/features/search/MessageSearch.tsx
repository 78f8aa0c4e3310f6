/**
 * The search button in the room's header and the panel it opens under the header: words, where
 * to look (this room or all of yours), hits newest first with the words marked, a page at a time.
 * Choosing a hit opens its room at the message. Ctrl+K (⌘K) opens it from anywhere; Escape closes
 * it and gives the focus back to the button.
 */
import { useEffect, useRef, useState } from 'react';
import type { FormEvent, KeyboardEvent as ReactKeyboardEvent } from 'react';
import { searchTerms, type SearchHit } from '../../../protocol/index.js';
import {
  asSentence,
  countOf,
  dateOfSeconds,
  formatFullDate,
  formatListTime,
} from '../../core/lib/format.js';
import { CloseIcon, IconButton, SearchIcon } from '../../core/ui/index.js';
import { useUser } from '../presence/index.js';
import { useRoomHeading } from '../rooms/index.js';
import { HighlightedText } from './HighlightedText.js';
import { useSearchActions } from './search-context.js';
import type { SearchScope } from './search-effects.js';

export const SEARCH_SHORTCUT_LABEL = 'Ctrl+K';
const PANEL_ID = 'message-search';

const isSearchShortcut = (event: KeyboardEvent) =>
  (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key === 'k';

export function MessageSearch({ roomId }: { roomId: string }) {
  const [open, setOpen] = useState(false);
  /** Bumped by the shortcut: an open panel takes the focus back to its box. */
  const [focusRequest, setFocusRequest] = useState(0);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isSearchShortcut(event)) return;
      event.preventDefault();
      setOpen(true);
      setFocusRequest((count) => count + 1);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  return (
    <>
      <IconButton
        ref={button}
        label="Search messages"
        aria-keyshortcuts="Control+K Meta+K"
        aria-expanded={open}
        aria-controls={open ? PANEL_ID : undefined}
        onClick={() => (open ? close() : setOpen(true))}
      >
        <SearchIcon />
      </IconButton>
      {open && (
        <SearchPanel
          roomId={roomId}
          focusRequest={focusRequest}
          onClose={close}
          // The message shown has the focus now; the panel just goes.
          onOpened={() => setOpen(false)}
        />
      )}
    </>
  );
}

interface Results {
  scope: SearchScope;
  hits: SearchHit[];
  terms: string[];
  next: string | null;
}

function SearchPanel({
  roomId,
  focusRequest,
  onClose,
  onOpened,
}: {
  roomId: string;
  focusRequest: number;
  onClose: () => void;
  onOpened: () => void;
}) {
  const search = useSearchActions();
  const [query, setQuery] = useState('');
  const [everywhere, setEverywhere] = useState(false);
  const [results, setResults] = useState<Results | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  /** Only the newest request's answer is shown. */
  const latestRequest = useRef(0);

  useEffect(() => {
    input.current?.focus();
  }, [focusRequest]);

  const run = (scope: SearchScope, text: string, before?: string) => {
    const request = ++latestRequest.current;
    setBusy(true);
    setProblem(null);
    search.search(text, scope, before).then(
      (page) => {
        if (request !== latestRequest.current) return;
        setBusy(false);
        setResults((shown) => ({
          scope,
          hits: before && shown ? [...shown.hits, ...page.hits] : page.hits,
          terms: page.terms,
          next: page.next,
        }));
      },
      (error: unknown) => {
        if (request !== latestRequest.current) return;
        setBusy(false);
        setProblem(asSentence(error instanceof Error ? error.message : 'The search failed'));
      },
    );
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (searchTerms(query).length === 0) {
      setProblem('Type a word of two letters or more.');
      return;
    }
    run(everywhere ? 'all' : { roomId }, query);
  };

  const openHit = (hit: SearchHit) => {
    setProblem(null);
    search
      .open(hit)
      .then(onOpened, (error: unknown) =>
        setProblem(asSentence(error instanceof Error ? error.message : 'It could not be opened')),
      );
  };

  const handleKeyDown = (event: ReactKeyboardEvent<HTMLElement>) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    onClose();
  };

  const status = busy
    ? 'Searching…'
    : results
      ? results.hits.length === 0
        ? 'No messages found.'
        : `${countOf(results.hits.length, 'message')} found${results.next ? ', more below' : ''}.`
      : '';

  return (
    <section
      id={PANEL_ID}
      className="search-panel"
      aria-label="Search messages"
      onKeyDown={handleKeyDown}
    >
      <form role="search" className="search-panel__form" onSubmit={submit}>
        <input
          ref={input}
          type="search"
          className="search-panel__input"
          aria-label="Words to search for"
          placeholder={`Search messages (${SEARCH_SHORTCUT_LABEL})`}
          value={query}
          maxLength={200}
          onChange={(event) => setQuery(event.target.value)}
        />
        <label className="search-panel__scope">
          <input
            type="checkbox"
            checked={everywhere}
            onChange={(event) => setEverywhere(event.target.checked)}
          />
          All my rooms
        </label>
        <button type="submit" className="button button--primary button--small" disabled={busy}>
          Search
        </button>
        <IconButton label="Close search" onClick={onClose}>
          <CloseIcon />
        </IconButton>
      </form>
      <p className="search-panel__status" role="status">
        {status}
      </p>
      {problem && (
        <p className="search-panel__problem" role="alert">
          {problem}
        </p>
      )}
      {results && results.hits.length > 0 && (
        <ul className="search-panel__hits" aria-label="Search results">
          {results.hits.map((hit) => (
            <li key={`${hit.message.roomId}/${hit.message.id}`}>
              <HitButton
                hit={hit}
                terms={results.terms}
                showRoom={results.scope === 'all'}
                onOpen={openHit}
              />
            </li>
          ))}
        </ul>
      )}
      {results?.next && (
        <button
          type="button"
          className="link-button search-panel__more"
          disabled={busy}
          onClick={() => run(results.scope, query, results.next ?? undefined)}
        >
          More results
        </button>
      )}
    </section>
  );
}

function HitButton({
  hit,
  terms,
  showRoom,
  onOpen,
}: {
  hit: SearchHit;
  terms: readonly string[];
  showRoom: boolean;
  onOpen: (hit: SearchHit) => void;
}) {
  const { message } = hit;
  const author = useUser(message.from)?.username ?? '…';
  const { title } = useRoomHeading(message.roomId);
  return (
    <button type="button" className="search-hit" onClick={() => onOpen(hit)}>
      <span className="search-hit__meta">
        <bdi className="search-hit__author">{author}</bdi>
        {showRoom && (
          <>
            {' in '}
            <bdi>{title}</bdi>
          </>
        )}
        {' · '}
        <time
          dateTime={dateOfSeconds(message.date).toISOString()}
          title={formatFullDate(message.date)}
        >
          {formatListTime(message.date)}
        </time>
      </span>
      <span className="search-hit__text" dir="auto">
        <HighlightedText text={message.message} terms={terms} />
      </span>
    </button>
  );
}
