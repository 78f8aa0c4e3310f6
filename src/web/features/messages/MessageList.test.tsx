import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ChatMessage, UserPresence } from '../../../protocol/index.js';
import { StoreProvider } from '../../core/store/index.js';
import { renderWithStore, storeAfter } from '../../test/chat-harness.js';
import type { MessageEditing } from './MessageGroup.js';
import { MessageList, type MessageListProps } from './MessageList.js';
import { buildTimeline } from './timeline.js';
import type { OutgoingMessage } from './timelines-slice.js';

const users: Record<string, UserPresence> = {
  '1': { id: '1', username: 'Pablo', online: true },
  '2': { id: '2', username: 'Joe', online: false },
};
/** The senders' names and presence come from the store. */
const knowingUsers = () => storeAfter({ type: 'users.loaded', users, onlineSnapshot: false });
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
  renderWithStore(
    <MessageList
      title="General"
      blocks={buildTimeline(messages, outbox, [], '1')}
      load="ready"
      loadError={null}
      hasOlder={false}
      loadingOlder={false}
      {...handlers}
      {...props}
    />,
    knowingUsers(),
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
      {
        localId: 'local-1',
        clientId: 'client-id-1',
        roomId: '0',
        text: 'on its way',
        date: base + 20,
        status: 'pending',
      },
      {
        localId: 'local-2',
        clientId: 'client-id-2',
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

  it('lets each message find its own direction, inside its bubble', () => {
    renderList();
    for (const text of ['morning', 'anyone?', 'here']) {
      expect(screen.getByText(text).closest('.bubble__text')).toHaveAttribute('dir', 'auto');
    }
  });

  it('says where the history begins when there is nothing older', () => {
    renderList();
    // The room's name is isolated in a <bdi>: the sentence spans two elements.
    expect(document.querySelector('.timeline__start')).toHaveTextContent(
      'This is the beginning of General.',
    );
    expect(screen.queryByRole('button', { name: 'Load older messages' })).toBeNull();
  });

  it('calls the beginning of a private room a conversation with the other person', () => {
    renderList([], { title: 'Pablo', withPerson: true });
    expect(document.querySelector('.timeline__start')).toHaveTextContent(
      'This is the beginning of your conversation with Pablo.',
    );
  });

  function renderWithEditing(list: ChatMessage[], overrides: Partial<MessageEditing> = {}) {
    const editing: MessageEditing = {
      meName: 'Pablo',
      editingId: null,
      onStartEdit: vi.fn(),
      onStopEdit: vi.fn(),
      onSaveEdit: vi.fn(() => Promise.resolve()),
      onDelete: vi.fn(() => Promise.resolve()),
      ...overrides,
    };
    const props = {
      title: 'General',
      load: 'ready' as const,
      loadError: null,
      hasOlder: false,
      loadingOlder: false,
      onLoadOlder: vi.fn(),
      onReload: vi.fn(),
      onOpenPrivate: vi.fn(),
      onRetry: vi.fn(),
      onDiscard: vi.fn(),
    };
    const store = knowingUsers();
    const view = renderWithStore(
      <MessageList {...props} blocks={buildTimeline(list, [], [], '1')} editing={editing} />,
      store,
    );
    const rerender = (next: Partial<MessageEditing>) =>
      view.rerender(
        <StoreProvider store={store}>
          <MessageList
            {...props}
            blocks={buildTimeline(list, [], [], '1')}
            editing={{ ...editing, ...next }}
          />
        </StoreProvider>,
      );
    return { editing, rerender };
  }

  const bubbleOf = (text: string) => screen.getByText(text).closest('.bubble') as HTMLElement;

  it('offers edit and delete on own messages only', () => {
    renderWithEditing(messages);
    expect(within(bubbleOf('here')).getByRole('button', { name: 'Edit message' })).toBeVisible();
    expect(within(bubbleOf('here')).getByRole('button', { name: 'Delete message' })).toBeVisible();
    expect(within(bubbleOf('morning')).queryByRole('button', { name: 'Edit message' })).toBeNull();
  });

  it('edits in place: Enter saves the new text, Escape cancels', async () => {
    const own = messages[2]!;
    const { editing, rerender } = renderWithEditing(messages);
    const user = userEvent.setup();
    await user.click(within(bubbleOf('here')).getByRole('button', { name: 'Edit message' }));
    expect(editing.onStartEdit).toHaveBeenCalledWith(own.id);

    rerender({ editingId: own.id });
    const box = screen.getByRole('textbox', { name: 'Edit message' });
    expect(box).toHaveValue('here');
    expect(box).toHaveFocus();
    await user.type(box, ' now{Enter}');
    expect(editing.onSaveEdit).toHaveBeenCalledWith(own.id, 'here now');

    await user.keyboard('{Escape}');
    expect(editing.onStopEdit).toHaveBeenCalled();
  });

  it("shows the server's refusal of an edit and keeps the box open", async () => {
    const own = messages[2]!;
    renderWithEditing(messages, {
      editingId: own.id,
      onSaveEdit: () => Promise.reject(new Error('you can only change your own messages')),
    });
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Edit message' }), '!{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Not saved. You can only change your own messages.',
    );
    expect(screen.getByRole('textbox', { name: 'Edit message' })).toHaveValue('here!');
  });

  it('deletes after a confirmation, and says why when it fails', async () => {
    const own = messages[2]!;
    const onDelete = vi
      .fn<(id: string) => Promise<void>>()
      .mockRejectedValueOnce(new Error('no answer from the server'))
      .mockResolvedValueOnce();
    renderWithEditing(messages, { onDelete });
    const user = userEvent.setup();
    await user.click(within(bubbleOf('here')).getByRole('button', { name: 'Delete message' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Delete message?' });
    await user.click(within(confirm).getByRole('button', { name: 'Delete' }));
    expect(onDelete).toHaveBeenCalledWith(own.id);
    expect(await within(confirm).findByRole('alert')).toHaveTextContent(
      'No answer from the server.',
    );
    await user.click(within(confirm).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());

    // Cancel leaves the message alone.
    await user.click(within(bubbleOf('here')).getByRole('button', { name: 'Delete message' }));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onDelete).toHaveBeenCalledTimes(2);
  });

  it('labels edited messages, shows deleted ones as a placeholder, and highlights mentions of me', () => {
    const [a, b, c] = messages as [ChatMessage, ChatMessage, ChatMessage];
    renderWithEditing([
      { ...a, message: 'morning all', edited: true },
      { ...b, message: '', deleted: true },
      { ...c, from: '2', message: 'ping @Pablo and @Joe', mentions: ['1', '2'] },
    ]);
    expect(within(bubbleOf('morning all')).getByText('(edited)')).toBeInTheDocument();
    const deleted = screen.getByText('Message deleted');
    expect(deleted).toHaveClass('bubble__text--deleted');
    const mention = screen.getByText('@Pablo');
    expect(mention).toHaveClass('mention', 'mention--me');
    expect(screen.getByText('@Joe')).not.toHaveClass('mention--me');
    const bubble = mention.closest('.bubble') as HTMLElement;
    expect(bubble).toHaveClass('bubble--mention');
    expect(within(bubble).getByText('Mentions you')).toBeInTheDocument();
  });
});
