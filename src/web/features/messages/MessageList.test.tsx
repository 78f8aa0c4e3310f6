import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ChatMessage, UserPresence } from '../../../protocol/index.js';
import type { OutgoingMessage } from '../../app/chat-state.js';
import { MessageList, type MessageListProps } from './MessageList.js';
import { buildTimeline } from './timeline.js';

const users: Record<string, UserPresence> = {
  '1': { id: '1', username: 'Pablo', online: true },
  '2': { id: '2', username: 'Joe', online: false },
};
const base = new Date(2025, 0, 10, 9, 0).getTime() / 1000;
const messages: ChatMessage[] = [
  { id: `${base * 1e6}-a`, from: '2', date: base, message: 'morning', roomId: '0' },
  { id: `${base * 1e6 + 1}-b`, from: '2', date: base + 5, message: 'anyone?', roomId: '0' },
  { id: `${base * 1e6 + 2}-c`, from: '1', date: base + 9, message: 'here', roomId: '0' },
];

function renderList(outbox: OutgoingMessage[] = [], props: Partial<MessageListProps> = {}) {
  const handlers = {
    onLoadOlder: vi.fn(),
    onReload: vi.fn(),
    onOpenPrivate: vi.fn(),
    onRetry: vi.fn(),
    onDiscard: vi.fn(),
  };
  render(
    <MessageList
      title="General"
      blocks={buildTimeline(messages, outbox, [], '1')}
      users={users}
      load="ready"
      loadError={null}
      hasOlder={false}
      loadingOlder={false}
      {...handlers}
      {...props}
    />,
  );
  return handlers;
}

describe('MessageList', () => {
  it("shows others' messages under one sender heading, with presence, and ours without", () => {
    renderList();
    const log = screen.getByRole('log', { name: 'Messages in General' });
    const senders = within(log).getAllByRole('button', { name: /Joe|Pablo/ });
    expect(senders.map((button) => button.textContent)).toEqual(['Joe']);
    expect(within(log).getByText('offline')).toBeInTheDocument();
    expect(within(log).getByText('here').closest('.group')).toHaveClass('group--own');
    expect(within(log).getByText('morning').closest('.group')).toBe(
      within(log).getByText('anyone?').closest('.group'),
    );
  });

  it("opens a private room from a sender's name", async () => {
    const { onOpenPrivate } = renderList();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Joe' }));
    expect(onOpenPrivate).toHaveBeenCalledWith('2');
  });

  it('shows a pending message as sending, and a failed one with retry and discard', async () => {
    const { onRetry, onDiscard } = renderList([
      { localId: 'local-1', roomId: '0', text: 'on its way', date: base + 20, status: 'pending' },
      {
        localId: 'local-2',
        roomId: '0',
        text: 'lost',
        date: base + 21,
        status: 'failed',
        error: 'No answer from the server.',
      },
    ]);
    const pending = screen.getByText('on its way').closest('.bubble') as HTMLElement;
    expect(pending).toHaveAttribute('data-status', 'pending');
    expect(within(pending).getByText('Sending')).toBeInTheDocument();

    const failure = screen.getByRole('alert');
    expect(failure).toHaveTextContent('Not sent. No answer from the server.');
    const user = userEvent.setup();
    await user.click(within(failure).getByRole('button', { name: 'Retry' }));
    expect(onRetry).toHaveBeenCalledWith('local-2');
    await user.click(within(failure).getByRole('button', { name: 'Discard' }));
    expect(onDiscard).toHaveBeenCalledWith('local-2');
  });

  it('offers older messages while there are more', async () => {
    const { onLoadOlder } = renderList([], { hasOlder: true });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Load older messages' }));
    expect(onLoadOlder).toHaveBeenCalled();
  });

  it('says where the history begins when there is nothing older', () => {
    renderList();
    expect(screen.getByText('This is the beginning of General.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load older messages' })).toBeNull();
  });
});
