import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { MESSAGE_MAX_LENGTH } from '../../../protocol/index.js';
import { Composer } from './Composer.js';

describe('Composer', () => {
  it('sends with Enter and clears the box', async () => {
    const onSend = vi.fn();
    render(<Composer roomTitle="General" onSend={onSend} />);
    const box = screen.getByRole('textbox', { name: 'Message General' });
    await userEvent.setup().type(box, 'hello{Enter}');
    expect(onSend).toHaveBeenCalledExactlyOnceWith('hello');
    expect(box).toHaveValue('');
  });

  it('makes the selection bold with Ctrl+B and italic with Ctrl+I, as typed Markdown', async () => {
    const onSend = vi.fn();
    render(<Composer roomTitle="General" onSend={onSend} />);
    const box = screen.getByRole<HTMLTextAreaElement>('textbox', { name: 'Message General' });
    const user = userEvent.setup();
    await user.type(box, 'make it loud');
    box.setSelectionRange(8, 12);
    await user.keyboard('{Control>}b{/Control}');
    expect(box).toHaveValue('make it **loud**');
    expect([box.selectionStart, box.selectionEnd]).toEqual([10, 14]);
    await user.keyboard('{Control>}i{/Control}');
    expect(box).toHaveValue('make it **_loud_**');
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledExactlyOnceWith('make it **_loud_**');
  });

  it('adds a line with Shift+Enter instead of sending', async () => {
    const onSend = vi.fn();
    render(<Composer roomTitle="General" onSend={onSend} />);
    const box = screen.getByRole('textbox', { name: 'Message General' });
    const user = userEvent.setup();
    await user.type(box, 'first{Shift>}{Enter}{/Shift}second');
    expect(onSend).not.toHaveBeenCalled();
    expect(box).toHaveValue('first\nsecond');
    await user.click(screen.getByRole('button', { name: 'Send message' }));
    expect(onSend).toHaveBeenCalledExactlyOnceWith('first\nsecond');
  });

  it('sends nothing for blank text or text over the limit', async () => {
    const onSend = vi.fn();
    render(<Composer roomTitle="Joe" onSend={onSend} />);
    const box = screen.getByRole('textbox', { name: 'Message Joe' });
    const user = userEvent.setup();
    await user.type(box, '   {Enter}');
    expect(onSend).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Send message' })).toBeDisabled();

    await user.clear(box);
    await user.click(box);
    await user.paste('x'.repeat(MESSAGE_MAX_LENGTH + 3));
    await user.keyboard('{Enter}');
    expect(onSend).not.toHaveBeenCalled();
    expect(screen.getByText('3 characters too long')).toBeInTheDocument();
  });

  const members = ['Mary', 'Joe', 'Marco'].map((username, i) => ({ id: String(i + 2), username }));

  it('suggests members after @, chosen with the arrows and Enter', async () => {
    const onSend = vi.fn();
    render(<Composer roomTitle="General" onSend={onSend} members={members} />);
    const box = screen.getByRole('textbox', { name: 'Message General' });
    const user = userEvent.setup();
    await user.type(box, 'hi @ma');
    const list = screen.getByRole('listbox', { name: 'Mention suggestions' });
    const options = within(list).getAllByRole('option');
    // Names starting with the query, in the members' order (the avatar beside each is decorative).
    expect(options).toEqual([
      within(list).getByRole('option', { name: 'Mary' }),
      within(list).getByRole('option', { name: 'Marco' }),
    ]);
    expect(options[0]).toHaveAttribute('aria-selected', 'true');
    expect(box).toHaveAttribute('aria-activedescendant', options[0]!.id);

    await user.keyboard('{ArrowDown}');
    expect(within(list).getByRole('option', { name: 'Marco' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await user.keyboard('{Enter}');
    expect(box).toHaveValue('hi @Marco ');
    expect(screen.queryByRole('listbox')).toBeNull();
    // Enter chose the name; it did not send.
    expect(onSend).not.toHaveBeenCalled();
    await user.keyboard('see you{Enter}');
    expect(onSend).toHaveBeenCalledWith('hi @Marco see you');
  });

  it('completes with Tab or a click, and Escape closes the list', async () => {
    render(<Composer roomTitle="General" onSend={vi.fn()} members={members} />);
    const box = screen.getByRole('textbox', { name: 'Message General' });
    const user = userEvent.setup();
    await user.type(box, '@j');
    await user.keyboard('{Tab}');
    expect(box).toHaveValue('@Joe ');
    expect(box).toHaveFocus();

    await user.type(box, 'and @');
    await user.click(screen.getByRole('option', { name: 'Mary' }));
    expect(box).toHaveValue('@Joe and @Mary ');

    await user.type(box, '@m');
    expect(screen.getByRole('listbox')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(box).toHaveValue('@Joe and @Mary @m');
  });

  it('reports typing on each change and a stop when the box loses the focus', async () => {
    const onTyping = vi.fn();
    const onStopTyping = vi.fn();
    render(
      <>
        <Composer
          roomTitle="General"
          onSend={vi.fn()}
          onTyping={onTyping}
          onStopTyping={onStopTyping}
        />
        <button type="button">elsewhere</button>
      </>,
    );
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Message General' }), 'ab');
    expect(onTyping.mock.calls).toEqual([['a'], ['ab']]);
    await user.click(screen.getByRole('button', { name: 'elsewhere' }));
    expect(onStopTyping).toHaveBeenCalledOnce();
  });

  it('edits the last own message with Up in an empty box', async () => {
    const onEditLast = vi.fn(() => true);
    render(<Composer roomTitle="General" onSend={vi.fn()} onEditLast={onEditLast} />);
    const box = screen.getByRole('textbox', { name: 'Message General' });
    const user = userEvent.setup();
    await user.type(box, 'x{ArrowUp}');
    expect(onEditLast).not.toHaveBeenCalled();
    await user.clear(box);
    await user.keyboard('{ArrowUp}');
    expect(onEditLast).toHaveBeenCalledOnce();
  });

  it('sends with Enter when the @name is already typed out in full', async () => {
    const onSend = vi.fn();
    render(<Composer roomTitle="General" onSend={onSend} members={members} />);
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Message General' }), 'hi @joe');
    expect(screen.getByRole('option', { name: 'Joe' })).toBeInTheDocument();
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledWith('hi @joe');
  });
});
