import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { InviteDialog, personNamed } from './InviteDialog.js';

const people = [
  { id: '1', username: 'Pablo' },
  { id: '2', username: 'Joe' },
  { id: '3', username: 'Mary' },
  { id: '4', username: 'mary' },
];

describe('personNamed', () => {
  it('prefers the exact spelling, then ignores case and a leading @', () => {
    expect(personNamed(people, 'mary')?.id).toBe('4');
    expect(personNamed(people, '@JOE')?.id).toBe('2');
    expect(personNamed(people, 'nobody')).toBeNull();
  });
});

describe('InviteDialog', () => {
  function renderDialog(onInvite = vi.fn(() => Promise.resolve())) {
    render(
      <InviteDialog
        title="design"
        people={people}
        memberIds={new Set(['1'])}
        onInvite={onInvite}
        onClose={vi.fn()}
      />,
    );
    return onInvite;
  }

  it('invites by username and says so', async () => {
    const onInvite = renderDialog();
    screen.getByRole('dialog', { name: 'Invite to design' });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Username'), 'Joe{Enter}');
    expect(onInvite).toHaveBeenCalledWith('2');
    expect(await screen.findByRole('status')).toHaveTextContent('Joe was added to design.');
    expect(screen.getByLabelText('Username')).toHaveValue('');
  });

  it('suggests people who are not members yet, one click invites', async () => {
    const onInvite = renderDialog();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Username'), 'a');
    expect(screen.queryByRole('button', { name: 'Invite Pablo' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Invite Mary' }));
    expect(onInvite).toHaveBeenCalledWith('3');
  });

  it('explains unknown names, members, and refusals', async () => {
    const onInvite = renderDialog(vi.fn(() => Promise.reject(new Error('user 3 does not exist'))));
    const user = userEvent.setup();
    const field = screen.getByLabelText('Username');
    await user.type(field, 'Zed{Enter}');
    expect(screen.getByRole('alert')).toHaveTextContent('Nobody is called “Zed”.');
    await user.clear(field);
    await user.type(field, 'Pablo{Enter}');
    expect(screen.getByRole('alert')).toHaveTextContent('Pablo is already a member of design.');
    await user.clear(field);
    await user.type(field, 'Mary{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('User 3 does not exist.');
    expect(onInvite).toHaveBeenCalledOnce();
  });
});
