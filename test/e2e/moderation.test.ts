/**
 * An administrator (ADMIN_USERS) bans someone from the member list, with the keyboard: a Ban
 * action per member, a confirmation, and the banned person's open chat goes back to the sign-in
 * screen, where signing in is refused. Someone who is not an administrator sees no Ban action.
 */
import { describe, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { browserSuite } from '../support/browser-suite.js';
import { expectHidden, expectVisible, signIn } from './chat-page.js';

describe('banning from the member list', () => {
  const suite = browserSuite({ env: { ADMIN_USERS: 'Pablo' } });

  it('an administrator bans with the keyboard; the banned person is signed out and refused', async () => {
    // The banned person's page is refused once its session has ended, and at sign-in: on purpose.
    suite.guard.expect({ reason: 'banned sign-in', text: /status of 403/, url: /\/login$/ });
    const alex = await suite.open('Alex');
    await signIn(alex, 'Alex');
    await expectVisible(alex.locator('.sidebar__status--online'));
    // Not an administrator: members, but no Ban action.
    await alex.getByRole('button', { name: 'Room members' }).click();
    const alexMembers = alex.getByRole('dialog', { name: 'Members of General' });
    await expectVisible(alexMembers.getByRole('button', { name: 'Message Pablo' }));
    await expectHidden(alexMembers.getByRole('button', { name: /^Ban / }));
    await alex.keyboard.press('Escape');

    const pablo = await suite.open('Pablo');
    await signIn(pablo, 'Pablo');
    await pablo.getByRole('button', { name: 'Room members' }).click();
    const members = pablo.getByRole('dialog', { name: 'Members of General' });
    const ban = members.getByRole('button', { name: 'Ban Alex' });
    await expectVisible(ban);
    await expectHidden(members.getByRole('button', { name: 'Ban Pablo' }));
    await expectAccessible(pablo, 'the members dialog of an administrator');

    await ban.focus();
    await pablo.keyboard.press('Enter');
    const confirm = pablo.getByRole('alertdialog', { name: 'Ban Alex?' });
    await expectVisible(confirm);
    await expectAccessible(pablo, 'the ban confirmation');
    // Cancel has the focus; Tab reaches Ban.
    await pablo.keyboard.press('Tab');
    await pablo.keyboard.press('Enter');
    await expectHidden(confirm);
    await expectVisible(members.getByRole('status').getByText('Alex is banned.'));

    // Alex's chat ends at once and goes back to the sign-in screen; signing in is refused.
    await expectVisible(alex.getByRole('button', { name: 'Sign in' }));
    await alex.getByLabel('Name').fill('Alex');
    await alex.getByLabel('Password').fill('password123');
    await alex.getByRole('button', { name: 'Sign in' }).click();
    await expectVisible(alex.getByRole('alert').getByText(/This account is banned/));
  });
});
