/**
 * Two people in two browser contexts: live chat in General, a private room that appears on the
 * other side, presence, and the phone layout.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PHONE } from '../support/browser.js';
import { expectAccessible } from '../support/axe.js';
import { browserSuite } from '../support/browser-suite.js';
import {
  bubbles,
  composer,
  expectHidden,
  expectShownOnce,
  expectVisible,
  messageLog,
  roomButton,
  screenshot,
  send,
  signIn,
  signedInOn,
} from './chat-page.js';

describe('chatting in the browser', () => {
  const suite = browserSuite({ env: { MESSAGES_PER_SECOND: '1000' } });

  const user = (name: string, password?: string, viewport?: { width: number; height: number }) =>
    signedInOn(suite, name, 0, { password, viewport });

  it('two users chat live in General; text stays text and links open safely', async () => {
    const pablo = await user('Pablo');
    const joe = await user('Joe');

    await send(pablo, 'Morning Joe! The notes are on https://redis.io/docs today.');
    await expectShownOnce(joe, 'Morning Joe! The notes are on https://redis.io/docs today.');
    const link = messageLog(joe).getByRole('link', { name: 'https://redis.io/docs' });
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer nofollow');

    await composer(joe).fill('Thanks! <b>Reading</b> them now');
    await composer(joe).press('Shift+Enter');
    await composer(joe).pressSequentially('and the API page too');
    await composer(joe).press('Enter');
    const reply = 'Thanks! <b>Reading</b> them now\nand the API page too';
    await expectShownOnce(pablo, reply);
    await expectShownOnce(joe, reply);
    expect(await messageLog(pablo).locator('b').count()).toBe(0);

    // Our own messages sit on the right, confirmed by the server.
    const ownBubble = messageLog(joe)
      .locator('.group--own .bubble[data-status="sent"]')
      .filter({ has: joe.locator('.bubble__text').getByText(reply, { exact: true }) });
    // "Sent" is for screen readers (a check mark on screen): attached, not visible.
    await ownBubble.getByText('Sent').waitFor({ state: 'attached' });
    const theirs = messageLog(pablo)
      .locator('.group:not(.group--own)')
      .filter({ has: pablo.locator('.bubble__text').getByText(reply, { exact: true }) });
    await expectVisible(theirs.getByRole('button', { name: 'Joe', exact: true }));

    await send(pablo, 'Great, see you at ten.');
    await expectShownOnce(joe, 'Great, see you at ten.');
    await expectShownOnce(pablo, 'Great, see you at ten.');
    await screenshot(pablo, 'chat.png');
    await expectAccessible(pablo, 'the chat screen');
  });

  it('a private room opened from a sender name appears live on the other side', async () => {
    // Grace is new: she shares no private room with anyone yet.
    const grace = await user('Grace', 'grace-secret');
    const pablo = await user('Pablo');
    await send(grace, 'Hi all, Grace here, new on the team.');
    await expectShownOnce(pablo, 'Hi all, Grace here, new on the team.');

    await messageLog(pablo).getByRole('button', { name: 'Grace', exact: true }).click();
    await expectVisible(pablo.getByRole('heading', { name: 'Grace', level: 1 }));
    await expectVisible(roomButton(pablo, 'Grace'));
    expect(await roomButton(grace, 'Pablo').count()).toBe(0);

    await send(pablo, 'Welcome Grace! Ping me with any question.');
    // The room shows up in Grace's list with the preview and one unread message.
    const room = roomButton(grace, 'Pablo');
    await expectVisible(room);
    await expectVisible(room.getByText('Welcome Grace! Ping me with any question.'));
    await expectVisible(room.getByText('1 unread'));

    await room.click();
    await expectVisible(grace.getByRole('heading', { name: 'Pablo', level: 1 }));
    await expectShownOnce(grace, 'Welcome Grace! Ping me with any question.');
    await expectHidden(room.getByText('1 unread'));

    await send(grace, 'Thank you!');
    await expectShownOnce(pablo, 'Thank you!');
    // Nothing of the private talk leaks into General.
    await roomButton(pablo, 'General').click();
    await expectVisible(pablo.getByRole('heading', { name: 'General', level: 1 }));
    expect(await bubbles(pablo, 'Thank you!').count()).toBe(0);
  });

  it('shows who is online and when they leave, and starts a private chat from that list', async () => {
    const mary = await user('Mary');
    const alex = await suite.open('Alex');
    await signIn(alex, 'Alex');

    const messageAlex = mary.getByRole('button', { name: 'Message Alex' });
    await expectVisible(messageAlex);
    await expectVisible(messageLog(mary).getByText('Alex connected'));

    // Signing out takes Alex offline for everyone.
    await alex.getByRole('button', { name: 'Log out' }).click();
    await expectHidden(messageAlex);
    await expectVisible(messageLog(mary).getByText('Alex left'));
    await expectVisible(roomButton(mary, 'Alex').getByText(', offline'));

    // Back, then gone by closing the browser.
    await signIn(alex, 'Alex');
    await expectVisible(messageAlex);
    await expectVisible(roomButton(mary, 'Alex').getByText(', online'));
    await messageAlex.click();
    await expectVisible(mary.getByRole('heading', { name: 'Alex', level: 1 }));
    const subtitle = mary.locator('.conversation__title');
    await expectVisible(subtitle.getByText('online', { exact: true }));
    await alex.context().close();
    await expectHidden(messageAlex);
    await expectVisible(subtitle.getByText('offline', { exact: true }));
  });

  it('works on a 375 px phone: the rooms are a drawer', async () => {
    // Connected before sending (signedInOn waits for it).
    const joe = await user('Joe', undefined, PHONE);
    await send(joe, 'Sent from my phone.');
    await expectShownOnce(joe, 'Sent from my phone.');
    await screenshot(joe, 'phone.png');
    await expectAccessible(joe, 'the chat on a phone');

    // The list is out of sight (and out of the tab order) until the menu button opens it.
    await expectHidden(roomButton(joe, 'General'));
    const menu = joe.getByRole('button', { name: 'Show rooms' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await menu.click();
    await expectVisible(roomButton(joe, 'Mary'));
    await screenshot(joe, 'phone-rooms.png');
    await expectAccessible(joe, 'the rooms drawer on a phone');
    await roomButton(joe, 'Mary').click();
    await expectVisible(joe.getByRole('heading', { name: 'Mary', level: 1 }));
    await expectHidden(roomButton(joe, 'General'));

    // Escape closes the drawer too and gives the focus back to the menu button.
    await menu.click();
    await expectVisible(roomButton(joe, 'General'));
    await joe.keyboard.press('Escape');
    await expectHidden(roomButton(joe, 'General'));
    expect(await menu.evaluate((element) => element === document.activeElement)).toBe(true);
    await assertFitsWidth(joe);
  });
});

/** Nothing sticks out sideways on the phone. */
async function assertFitsWidth(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
}
