/**
 * The directory of public rooms: search by the start of any word of a name, a page at a time
 * ("More rooms"), join one, or open one you are in already.
 */
import { useEffect, useState } from 'react';
import type { DirectoryPage, DirectoryRoom } from '../../../protocol/index.js';
import { asSentence, countOf } from '../../core/lib/format.js';
import { Avatar, Dialog } from '../../core/ui/index.js';

/** Wait this long after the last keystroke before asking the server (ms). */
export const SEARCH_DELAY_MS = 200;

export interface RoomDirectoryProps {
  /** A page of the directory; `after` is the `next` of the page before. */
  onSearch: (search: string, after?: string) => Promise<DirectoryPage>;
  /** Joins (or just opens) the room; rejects with the server's reason. */
  onJoin: (roomId: string) => Promise<void>;
  onClose: () => void;
}

type Results =
  | { status: 'loading' }
  | { status: 'ready'; search: string; rooms: DirectoryRoom[]; next: string | null }
  | { status: 'error'; message: string };

export function RoomDirectory({ onSearch, onJoin, onClose }: RoomDirectoryProps) {
  const [search, setSearch] = useState('');
  const [results, setResults] = useState<Results>({ status: 'loading' });
  const [joining, setJoining] = useState<string | null>(null);
  const [joinError, setJoinError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    const timer = setTimeout(
      () => {
        onSearch(search.trim()).then(
          (page) => current && setResults({ status: 'ready', search: search.trim(), ...page }),
          (error: unknown) =>
            current &&
            setResults({
              status: 'error',
              message: asSentence(error instanceof Error ? error.message : 'Search failed'),
            }),
        );
      },
      // The first list comes at once; searches wait for a pause in typing.
      search === '' ? 0 : SEARCH_DELAY_MS,
    );
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [search, onSearch]);

  const showMore = (shown: Extract<Results, { status: 'ready' }>) => {
    if (shown.next === null) return;
    setLoadingMore(true);
    setMoreError(null);
    onSearch(shown.search, shown.next)
      .then(
        (page) =>
          // Ignored when the search changed meanwhile; a room listed twice is shown once.
          setResults((now) =>
            now.status === 'ready' && now.search === shown.search && now.next === shown.next
              ? {
                  ...now,
                  rooms: [
                    ...now.rooms,
                    ...page.rooms.filter((room) => !now.rooms.some((r) => r.id === room.id)),
                  ],
                  next: page.next,
                }
              : now,
          ),
        (error: unknown) =>
          setMoreError(asSentence(error instanceof Error ? error.message : 'Loading failed')),
      )
      .finally(() => setLoadingMore(false));
  };

  const join = (room: DirectoryRoom) => {
    setJoining(room.id);
    setJoinError(null);
    onJoin(room.id).then(onClose, (error: unknown) => {
      setJoining(null);
      setJoinError(
        `${room.name} could not be joined. ${asSentence(error instanceof Error ? error.message : '')}`,
      );
    });
  };

  return (
    <Dialog label="Browse rooms" onClose={onClose} className="dialog--directory">
      <input
        type="search"
        className="dialog__search"
        aria-label="Search rooms"
        placeholder="Search rooms by name"
        value={search}
        maxLength={40}
        onChange={(event) => setSearch(event.target.value)}
        data-autofocus
      />
      {joinError && (
        <p className="dialog__error" role="alert">
          {joinError}
        </p>
      )}
      {results.status === 'loading' && (
        <p className="dialog__status" role="status">
          Loading rooms…
        </p>
      )}
      {results.status === 'error' && (
        <p className="dialog__error" role="alert">
          {results.message}
        </p>
      )}
      {results.status === 'ready' && results.rooms.length === 0 && (
        <p className="dialog__status" role="status">
          {results.search ? `No public room matches “${results.search}”.` : 'No public rooms yet.'}
        </p>
      )}
      {results.status === 'ready' && results.rooms.length > 0 && (
        <ul className="directory" aria-label="Public rooms">
          {results.rooms.map((room) => (
            <li key={room.id} className="directory__room">
              <Avatar id={`room-${room.id}`} name={room.name} symbol="#" size="sm" />
              <span className="directory__body">
                <bdi className="directory__name">{room.name}</bdi>
                <span className="directory__count">{countOf(room.memberCount, 'member')}</span>
              </span>
              <button
                type="button"
                className={`button${room.joined ? '' : ' button--primary'} button--small`}
                onClick={() => join(room)}
                disabled={joining !== null}
                aria-label={`${room.joined ? 'Open' : 'Join'} ${room.name}`}
              >
                {room.joined ? 'Open' : joining === room.id ? 'Joining…' : 'Join'}
              </button>
            </li>
          ))}
        </ul>
      )}
      {moreError && (
        <p className="dialog__error" role="alert">
          {moreError}
        </p>
      )}
      {results.status === 'ready' && results.next !== null && (
        <button
          type="button"
          className="button button--small directory__more"
          onClick={() => showMore(results)}
          disabled={loadingMore}
        >
          {loadingMore ? 'Loading…' : 'More rooms'}
        </button>
      )}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
