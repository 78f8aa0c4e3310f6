/** Searching and opening a hit in context, through the fake transport; the hit's marked text. */
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../protocol/index.js';
import { renderInSession, roomView, settle, startTestSession } from '../../test/chat-harness.js';
import { testMessage } from '../../test/test-messages.js';
import { CATCH_UP_PAGE_SIZE, CONTEXT_FILL_REQUESTS_MAX } from '../messages/index.js';
import { HighlightedText } from './HighlightedText.js';
import { MessageSearch } from './MessageSearch.js';

/** A room's history (oldest first) served the way the server pages it. */
function history(count: number) {
  const all: ChatMessage[] = Array.from({ length: count }, (_, i) => testMessage('2', `m${i}`));
  const indexOf = (id: string) => all.findIndex((message) => message.id === id);
  return {
    all,
    api: {
      messagesPage: (_room: string, offset: number, size: number) =>
        all.slice(Math.max(0, all.length - offset - size), all.length - offset).reverse(),
      messagesAround: (_room: string, id: string, size: number) => {
        const at = indexOf(id);
        if (at < 0) return [];
        const newer = Math.floor((size - 1) / 2);
        return all.slice(Math.max(0, at - (size - newer - 1)), at + newer + 1).reverse();
      },
      messagesAfter: (_room: string, id: string, size: number) =>
        all.slice(indexOf(id) + 1, indexOf(id) + 1 + size),
    },
  };
}

const isUnbroken = (messages: ChatMessage[], all: ChatMessage[]) => {
  const first = all.findIndex((message) => message.id === messages[0]?.id);
  return messages.every((message, i) => message.id === all[first + i]?.id);
};

describe('opening a message in context', () => {
  it('loads its neighbours and every message up to the loaded history, then focuses it', async () => {
    const { all, api } = history(400);
    const { session, state, calls } = startTestSession(api);
    await settle();
    const target = all[150]!;
    await session.messages.showMessage('0', target.id);

    const general = roomView(state(), '0')!;
    expect(general.messages.some((message) => message.id === target.id)).toBe(true);
    // No gap between the context and the newest page: older pages count from the newest still.
    expect(isUnbroken(general.messages, all)).toBe(true);
    expect(general.messages.at(-1)?.id).toBe(all.at(-1)?.id);
    expect(general.hasOlder).toBe(true);
    expect(state().timelines['0']?.focus).toBe(target.id);
    expect(calls.filter((call) => call.name === 'messagesAround')).toHaveLength(1);

    session.messages.focusShown('0');
    expect(state().timelines['0']?.focus).toBeNull();
  });

  it('only focuses a message that is loaded already', async () => {
    const { all, api } = history(40);
    const { session, state, calls } = startTestSession(api);
    await settle();
    await session.messages.showMessage('0', all[35]!.id);
    expect(state().timelines['0']?.focus).toBe(all[35]!.id);
    expect(calls.some((call) => call.name === 'messagesAround')).toBe(false);
  });

  it('refuses a message that is gone, or further back than it will load', async () => {
    const { all, api } = history(CONTEXT_FILL_REQUESTS_MAX * CATCH_UP_PAGE_SIZE + 200);
    const { session, state } = startTestSession(api);
    await settle();
    await expect(session.messages.showMessage('0', '1-gone')).rejects.toThrow(/no longer there/);
    await expect(session.messages.showMessage('0', all[10]!.id)).rejects.toThrow(/messages back/);
    expect(state().timelines['0']?.focus).toBeNull();
  });

  it('opens the hit’s room from the search: the room shown and the message focused', async () => {
    const { all, api } = history(100);
    const hit = all[20]!;
    const { session, state } = startTestSession({
      ...api,
      search: () => ({ hits: [{ message: hit }], terms: ['m20'], next: null }),
    });
    await settle();
    const page = await session.search.search('m20', 'all');
    await session.search.open(page.hits[0]!);
    expect(state().openRoom.roomId).toBe('0');
    expect(state().timelines['0']?.focus).toBe(hit.id);
  });
});

describe('the search panel', () => {
  it('searches the open room, lists hits with the words marked, and closes on Escape', async () => {
    const hit = testMessage('2', 'Lunch <b>at</b> noon');
    const { session, calls } = startTestSession({
      search: () => ({ hits: [{ message: hit }], terms: ['lunch'], next: null }),
    });
    await settle();
    renderInSession(<MessageSearch roomId="0" />, session);
    const button = screen.getByRole('button', { name: 'Search messages' });
    fireEvent.click(button);
    const box = screen.getByRole('searchbox', { name: 'Words to search for' });
    expect(box).toHaveFocus();
    fireEvent.change(box, { target: { value: 'lunch' } });
    await act(async () => {
      fireEvent.submit(box);
      await settle();
    });
    expect(calls.find((call) => call.name === 'search')?.args).toEqual(['lunch', { roomId: '0' }]);
    const results = screen.getByRole('list', { name: 'Search results' });
    expect(within(results).getByText('Lunch').tagName).toBe('MARK');
    expect(screen.getByRole('status')).toHaveTextContent('1 message found.');

    fireEvent.keyDown(box, { key: 'Escape' });
    expect(screen.queryByRole('searchbox')).toBeNull();
    expect(button).toHaveFocus();
  });

  it('opens with Ctrl+K and explains a query without a word', async () => {
    const { session, calls } = startTestSession();
    await settle();
    renderInSession(<MessageSearch roomId="0" />, session);
    fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    const box = screen.getByRole('searchbox', { name: 'Words to search for' });
    fireEvent.change(box, { target: { value: 'a !' } });
    fireEvent.submit(box);
    expect(screen.getByRole('alert')).toHaveTextContent('Type a word of two letters or more.');
    expect(calls.some((call) => call.name === 'search')).toBe(false);
  });
});

describe('HighlightedText', () => {
  it('marks the matched words and shows markup as text', () => {
    const { container } = render(
      <HighlightedText text={'<img src=x onerror=alert(1)> Café CAFÉ'} terms={['café']} />,
    );
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toBe('<img src=x onerror=alert(1)> Café CAFÉ');
    expect([...container.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual([
      'Café',
      'CAFÉ',
    ]);
  });
});
