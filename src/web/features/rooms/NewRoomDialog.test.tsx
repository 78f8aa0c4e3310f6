import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../core/transport/index.js';
import { NewRoomDialog } from './NewRoomDialog.js';

describe('NewRoomDialog', () => {
  it('creates a private room with the trimmed name, then closes', async () => {
    const onCreate = vi.fn(() => Promise.resolve());
    const onClose = vi.fn();
    render(<NewRoomDialog onCreate={onCreate} onClose={onClose} />);
    const dialog = screen.getByRole('dialog', { name: 'New room' });
    expect(dialog).toBeInTheDocument();
    const user = userEvent.setup();
    // The name field has the focus at once.
    await user.keyboard('  design  ');
    await user.click(screen.getByRole('radio', { name: /Private/ }));
    await user.click(screen.getByRole('button', { name: 'Create room' }));
    expect(onCreate).toHaveBeenCalledWith('design', 'private');
    await vi.waitFor(() => expect(onClose).toHaveBeenCalled());
  });

  it('checks the length first, and shows the server refusal (409) inline', async () => {
    const onCreate = vi.fn(() =>
      Promise.reject(new ApiError(409, 'conflict', 'a room named "design" already exists')),
    );
    const onClose = vi.fn();
    render(<NewRoomDialog onCreate={onCreate} onClose={onClose} />);
    const user = userEvent.setup();
    const name = screen.getByLabelText('Room name');
    await user.click(screen.getByRole('button', { name: 'Create room' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Give the room a name.');

    await user.type(name, 'x'.repeat(41));
    await user.click(screen.getByRole('button', { name: 'Create room' }));
    expect(screen.getByRole('alert')).toHaveTextContent('at most 40 characters');
    expect(onCreate).not.toHaveBeenCalled();

    await user.clear(name);
    await user.type(name, 'Design{Enter}');
    expect(onCreate).toHaveBeenCalledWith('Design', 'public');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'A room named "design" already exists.',
    );
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(onClose).not.toHaveBeenCalled();
  });

  it('closes with Escape', async () => {
    const onClose = vi.fn();
    render(<NewRoomDialog onCreate={vi.fn()} onClose={onClose} />);
    await userEvent.setup().keyboard('{Escape}');
    expect(onClose).toHaveBeenCalled();
  });
});
