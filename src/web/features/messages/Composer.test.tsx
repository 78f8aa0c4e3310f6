import { render, screen } from '@testing-library/react';
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
});
