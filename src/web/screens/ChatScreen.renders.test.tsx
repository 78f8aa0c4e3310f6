/**
 * Each part of the chat screen selects only what it shows: a message in one room redraws that
 * room's row and, if the room is open, the new message; not the other rows, the other messages
 * or the list of who is online. Renders are counted where every row, person and message draws
 * something of its own: avatars (by size and id) and message texts.
 */
import { act, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as AvatarModule from '../core/ui/Avatar.js';
import type { AvatarProps } from '../core/ui/Avatar.js';
import type * as FormattedTextModule from '../features/formatting/FormattedText.js';
import { renderInSession, startTestSession } from '../test/chat-harness.js';
import { testMessage as message } from '../test/test-messages.js';
import { ChatScreen } from './ChatScreen.js';

const renders = vi.hoisted(() => new Map<string, number>());
const count = (key: string) => renders.set(key, (renders.get(key) ?? 0) + 1);
const rendersOf = (key: string) => renders.get(key) ?? 0;

vi.mock('../core/ui/Avatar.js', async (importOriginal) => {
  const actual = await importOriginal<typeof AvatarModule>();
  return {
    ...actual,
    Avatar: (props: AvatarProps) => {
      count(`avatar ${props.size ?? 'md'} ${props.id}`);
      return actual.Avatar(props);
    },
  };
});

vi.mock('../features/formatting/FormattedText.js', async (importOriginal) => {
  const actual = await importOriginal<typeof FormattedTextModule>();
  return {
    ...actual,
    FormattedText: (props: { text: string; meName?: string }) => {
      count(`text ${props.text}`);
      return actual.FormattedText(props);
    },
  };
});

const people = {
  '2': { id: '2', username: 'Joe', online: true },
  '3': { id: '3', username: 'Mary', online: true },
  '4': { id: '4', username: 'Alex', online: true },
  '5': { id: '5', username: 'Zoe', online: true },
};
/** Rows of the room list draw a medium avatar: the partner's for private rooms. */
const row = { general: 'avatar md room-0', joe: 'avatar md 2', mary: 'avatar md 3' };
/** The online list draws small ones. */
const online = ['avatar sm 2', 'avatar sm 3', 'avatar sm 4', 'avatar sm 5'];

async function openChat() {
  const fromAlex = message('4', 'hello from Alex');
  const mine = message('1', 'hi Alex');
  const chat = startTestSession({
    rooms: () => [
      { id: '0', names: ['General'], kind: 'general' },
      { id: '1:2', names: ['Pablo', 'Joe'] },
      { id: '1:3', names: ['Pablo', 'Mary'] },
    ],
    onlineUsers: () => people,
    messagesPage: (roomId: string) => (roomId === '0' ? [mine, fromAlex] : []),
  });
  chat.socket.goOnline();
  renderInSession(<ChatScreen onLogout={vi.fn()} onSignedOutEverywhere={vi.fn()} />, chat.session);
  await screen.findByText('hi Alex');
  await screen.findByRole('button', { name: /^Mary/ });
  await act(() => new Promise((done) => setTimeout(done, 0)));
  renders.clear();
  return chat;
}

beforeEach(() => renders.clear());
afterEach(() => vi.restoreAllMocks());

describe('ChatScreen renders', () => {
  it("a message in a room that is not open redraws that room's row only", async () => {
    const { socket } = await openChat();
    act(() => socket.serverEmits('message', message('3', 'psst', '1:3')));

    expect(screen.getByRole('button', { name: /^Mary/ })).toHaveTextContent('1 unread');
    expect(rendersOf(row.mary)).toBeGreaterThan(0);
    expect(rendersOf(row.joe)).toBe(0);
    expect(rendersOf(row.general)).toBe(0);
    for (const avatar of online) expect(rendersOf(avatar)).toBe(0);
    // General stays on screen and none of its messages is drawn again.
    expect(rendersOf('text hello from Alex')).toBe(0);
    expect(rendersOf('text hi Alex')).toBe(0);
    expect(rendersOf('avatar md 4')).toBe(0);
  });

  it('a message in the open room draws that message, not the others nor the other rooms', async () => {
    const { socket } = await openChat();
    act(() => socket.serverEmits('message', message('5', 'news from Zoe')));

    expect(await screen.findByText('news from Zoe')).toBeInTheDocument();
    expect(rendersOf('text news from Zoe')).toBe(1);
    expect(rendersOf('text hello from Alex')).toBe(0);
    expect(rendersOf('text hi Alex')).toBe(0);
    expect(rendersOf('avatar md 4')).toBe(0);
    // General's row shows the new preview; the private rooms' rows are untouched.
    expect(rendersOf(row.general)).toBeGreaterThan(0);
    expect(rendersOf(row.joe)).toBe(0);
    expect(rendersOf(row.mary)).toBe(0);
    for (const avatar of online) expect(rendersOf(avatar)).toBe(0);
  });

  it('a fresh list of who is online, with nobody changed, redraws nothing', async () => {
    const { session, calls } = await openChat();
    await act(() => session.presence.refreshOnlineUsers());

    expect(calls.filter((call) => call.name === 'onlineUsers')).toHaveLength(2);
    expect([...renders.keys()]).toEqual([]);
  });
});
