import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { DirectoryPage, DirectoryRoom } from '../../../protocol/index.js';
import { RoomDirectory } from './RoomDirectory.js';

const rooms: DirectoryRoom[] = [
  { id: '5', name: 'design', memberCount: 3, joined: false },
  { id: '6', name: 'Design review', memberCount: 1, joined: true },
  { id: '8', name: 'ops', memberCount: 2, joined: false },
];

const search = (text: string) =>
  Promise.resolve({
    rooms: rooms.filter((room) => room.name.toLowerCase().includes(text.toLowerCase())),
    next: null,
  });

describe('RoomDirectory', () => {
  it('lists public rooms, searches by name, and joins one', async () => {
    const onSearch = vi.fn(search);
    const onJoin = vi.fn(() => Promise.resolve());
    const onClose = vi.fn();
    render(<RoomDirectory onSearch={onSearch} onJoin={onJoin} onClose={onClose} />);
    screen.getByRole('dialog', { name: 'Browse rooms' });
    const list = await screen.findByRole('list', { name: 'Public rooms' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(3);
    expect(within(list).getByText('3 members')).toBeInTheDocument();
    expect(within(list).getByText('1 member')).toBeInTheDocument();

    const user = userEvent.setup();
    await user.type(screen.getByRole('searchbox', { name: 'Search rooms' }), 'DESIGN');
    await vi.waitFor(() =>
      expect(within(screen.getByRole('list')).getAllByRole('listitem')).toHaveLength(2),
    );
    expect(onSearch).toHaveBeenLastCalledWith('DESIGN');
    // Typing is not a request per key.
    expect(onSearch.mock.calls.length).toBeLessThan(4);
    expect(screen.getByRole('button', { name: 'Open Design review' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Join design' }));
    expect(onJoin).toHaveBeenCalledWith('5');
    await vi.waitFor(() => expect(onClose).toHaveBeenCalled());
  });

  it('shows the next page under the first with "More rooms", until there is none', async () => {
    const pages: Record<string, DirectoryPage> = {
      '': { rooms: rooms.slice(0, 2), next: 'page2' },
      page2: { rooms: rooms.slice(1), next: null },
    };
    const onSearch = vi.fn((_search: string, after?: string) =>
      Promise.resolve(pages[after ?? ''] as DirectoryPage),
    );
    render(<RoomDirectory onSearch={onSearch} onJoin={vi.fn()} onClose={vi.fn()} />);
    const list = await screen.findByRole('list', { name: 'Public rooms' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    await userEvent.setup().click(screen.getByRole('button', { name: 'More rooms' }));
    await vi.waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(3));
    expect(onSearch).toHaveBeenLastCalledWith('', 'page2');
    expect(within(list).getByText('ops')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'More rooms' })).not.toBeInTheDocument();
  });

  it('says when nothing matches, and why a join failed', async () => {
    const onJoin = vi.fn(() => Promise.reject(new Error('room 8 does not exist')));
    render(<RoomDirectory onSearch={search} onJoin={onJoin} onClose={vi.fn()} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Join ops' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'ops could not be joined. Room 8 does not exist.',
    );
    await user.type(screen.getByRole('searchbox', { name: 'Search rooms' }), 'zzz');
    expect(await screen.findByText('No public room matches “zzz”.')).toBeInTheDocument();
  });
});
