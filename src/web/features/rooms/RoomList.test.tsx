import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderWithStore, storeAfter } from '../../test/chat-harness.js';
import { RoomList } from './RoomList.js';

const date = Math.floor(Date.now() / 1000);

/** The list as the store holds it: General and a private room with Joe, General open. */
function store() {
  return storeAfter(
    {
      type: 'rooms.listed',
      rooms: [
        {
          id: '0',
          names: ['General'],
          lastMessage: { id: `${date * 1e6}-g`, from: '3', date, message: 'hi all', roomId: '0' },
        },
        {
          id: '1:2',
          names: ['Pablo', 'Joe'],
          unread: 2,
          lastMessage: {
            id: `${date * 1e6 + 5}-p`,
            from: '2',
            date,
            message: 'psst',
            roomId: '1:2',
          },
        },
      ],
    },
    {
      type: 'users.loaded',
      users: {
        '2': { id: '2', username: 'Joe', online: true },
        '3': { id: '3', username: 'Mary', online: false },
      },
      onlineSnapshot: false,
    },
  );
}

describe('RoomList', () => {
  it('lists General first with the last message, then private rooms with unread counts', () => {
    renderWithStore(<RoomList onSelect={vi.fn()} />, store());
    const [general, joe] = within(screen.getByRole('navigation', { name: 'Rooms' })).getAllByRole(
      'button',
    );
    expect(general).toHaveTextContent('General');
    expect(general).toHaveTextContent('Mary: hi all');
    expect(general).toHaveAttribute('aria-current', 'page');
    expect(joe).toHaveTextContent('Joe, online');
    expect(joe).toHaveTextContent('psst');
    expect(joe).toHaveTextContent('2 unread');
    expect(joe).not.toHaveAttribute('aria-current');
  });

  it('selects a room', async () => {
    const onSelect = vi.fn();
    renderWithStore(<RoomList onSelect={onSelect} />, store());
    await userEvent.setup().click(screen.getByRole('button', { name: /Joe/ }));
    expect(onSelect).toHaveBeenCalledWith('1:2');
  });

  it('shows group rooms with a separate mention badge, and the create and browse actions', async () => {
    const withDesign = storeAfter({
      type: 'rooms.listed',
      rooms: [
        {
          id: '5',
          names: ['design'],
          kind: 'group',
          visibility: 'private',
          unread: 3,
          unreadMentions: 1,
        },
      ],
    });
    const onCreate = vi.fn();
    const onBrowse = vi.fn();
    renderWithStore(
      <RoomList onSelect={vi.fn()} onCreate={onCreate} onBrowse={onBrowse} />,
      withDesign,
    );
    const design = within(screen.getByRole('navigation', { name: 'Rooms' })).getByRole('button', {
      name: /^design/,
    });
    expect(design).toHaveAccessibleName(/^design, private room/);
    expect(design).toHaveTextContent('3 unread');
    expect(design.querySelector('.badge--mention')).toHaveTextContent('@ 1 mention');

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'New room' }));
    await user.click(screen.getByRole('button', { name: 'Browse rooms' }));
    expect(onCreate).toHaveBeenCalledOnce();
    expect(onBrowse).toHaveBeenCalledOnce();
  });

  it('isolates room names and previews, so right-to-left text or bidi controls stay in place', () => {
    const rlo = '\u202e';
    renderWithStore(
      <RoomList onSelect={vi.fn()} />,
      storeAfter({
        type: 'rooms.listed',
        rooms: [
          {
            id: '7',
            names: [`${rlo}evil`],
            kind: 'group',
            lastMessage: { id: `${date * 1e6}-x`, from: '3', date, message: 'שלום', roomId: '7' },
          },
        ],
      }),
    );
    const name = screen.getByText(`${rlo}evil`);
    expect(name.tagName).toBe('BDI');
    expect(screen.getByText(/שלום/).tagName).toBe('BDI');
  });
});
