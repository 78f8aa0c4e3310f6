/**
 * Reactions and threads, with two people on two server instances that share one Redis: what one
 * of them does reaches the other through the other instance.
 */
import { describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { PHONE } from '../support/browser.js';
import { browserSuite } from '../support/browser-suite.js';
import {
  UI_TIMEOUT_MS,
  bubble,
  expectHidden,
  expectShownOnce,
  expectVisible,
  messageLog,
  roomButton,
  screenshot,
  send,
  signedInOn,
} from './chat-page.js';

describe('reactions, threads and "Seen" across two instances', () => {
  const suite = browserSuite({ instances: 2, env: { MESSAGES_PER_SECOND: '1000' } });

  const user = (name: string, instance: 0 | 1, viewport?: { width: number; height: number }) =>
    signedInOn(suite, name, instance, { viewport });

  it('reacts with a picked emoji, shows who reacted on both sides, and takes it back', async () => {
    const mary = await user('Mary', 0);
    const joe = await user('Joe', 1);
    await send(mary, 'Lunch at noon?');
    await expectShownOnce(joe, 'Lunch at noon?');

    // Joe opens the picker from the message's actions and finds 🎉 by its name.
    const message = bubble(joe, 'Lunch at noon?');
    await message.hover();
    await message.getByRole('button', { name: 'Add reaction' }).click();
    const picker = joe.getByRole('dialog', { name: 'Add a reaction' });
    await expectVisible(picker);
    await expectAccessible(joe, 'the reaction picker');
    await picker.getByLabel('Search emoji by name').fill('tada');
    await picker.getByRole('button', { name: 'tada' }).click();

    // Mary, on the other instance, sees it with Joe's name; Joe's own is pressed.
    const marysChip = bubble(mary, 'Lunch at noon?').getByRole('button', {
      name: '🎉 1, from Joe',
    });
    await expectVisible(marysChip);
    expect(await marysChip.getAttribute('aria-pressed')).toBe('false');
    const joesChip = bubble(joe, 'Lunch at noon?').getByRole('button', { name: /^🎉/ });
    expect(await joesChip.getAttribute('aria-pressed')).toBe('true');

    // Mary adds hers by pressing it: two, and both names.
    await marysChip.click();
    await expectVisible(
      bubble(joe, 'Lunch at noon?').getByRole('button', { name: '🎉 2, from you and Mary' }),
    );
    // A common one from the picker, by keyboard.
    await bubble(mary, 'Lunch at noon?').hover();
    await bubble(mary, 'Lunch at noon?').getByRole('button', { name: 'Add reaction' }).click();
    await mary
      .getByRole('dialog', { name: 'Add a reaction' })
      .getByRole('button', { name: 'thumbs up' })
      .press('Enter');
    await expectVisible(
      bubble(joe, 'Lunch at noon?').getByRole('button', { name: '👍 1, from Mary' }),
    );
    await expectAccessible(mary, 'a message with reactions');
    await screenshot(mary, 'reactions.png');

    // Joe takes his back; it goes on both sides, and stays gone after a reload.
    await joesChip.click();
    await expectVisible(
      bubble(mary, 'Lunch at noon?').getByRole('button', { name: '🎉 1, from you' }),
    );
    await joe.reload();
    await expectVisible(
      bubble(joe, 'Lunch at noon?').getByRole('button', { name: '🎉 1, from Mary' }),
    );
    await expect
      .poll(() => bubble(joe, 'Lunch at noon?').locator('.reaction').count(), {
        timeout: UI_TIMEOUT_MS,
      })
      .toBe(2);
  });

  it('replies in a thread from both sides, quoting the original, and on a phone', async () => {
    const mary = await user('Mary', 0);
    const joe = await user('Joe', 1);
    await send(mary, 'Who brings the cake?');
    await expectShownOnce(joe, 'Who brings the cake?');

    // Joe replies from the message's actions: the thread opens beside the room.
    await bubble(joe, 'Who brings the cake?').hover();
    await bubble(joe, 'Who brings the cake?')
      .getByRole('button', { name: 'Reply in thread' })
      .click();
    const joesThread = joe.getByRole('complementary', { name: 'Thread' });
    await expectVisible(joesThread.getByText('Who brings the cake?', { exact: true }));
    const joesBox = joesThread.getByRole('textbox', { name: 'Reply in thread' });
    await joesBox.fill('I do');
    await joesBox.press('Enter');
    await expectVisible(joesThread.getByText('I do', { exact: true }));
    await expectAccessible(joe, 'the thread panel');

    // Mary sees the reply in the room with a quote of her message, and the thread's size.
    await expectShownOnce(mary, 'I do');
    await expectVisible(
      bubble(mary, 'I do').getByRole('button', { name: 'Reply to Mary: Who brings the cake?' }),
    );
    const summary = bubble(mary, 'Who brings the cake?').getByRole('button', {
      name: /^1 reply\b/,
    });
    await expectVisible(summary);
    await summary.click();
    const marysThread = mary.getByRole('complementary', { name: 'Thread' });
    await expectVisible(marysThread.getByText('I do', { exact: true }));
    await marysThread.getByRole('textbox', { name: 'Reply in thread' }).fill('Thanks!');
    await marysThread.getByRole('textbox', { name: 'Reply in thread' }).press('Enter');

    // Joe's open thread and the size under the message follow, live from the other instance.
    await expectVisible(joesThread.getByText('Thanks!', { exact: true }));
    await expectVisible(
      bubble(joe, 'Who brings the cake?').getByRole('button', { name: /^2 replies\b/ }),
    );
    await expectAccessible(mary, 'a thread and its replies in the room');
    await screenshot(mary, 'threads.png');

    // The quote takes Joe to the original message.
    await joesThread.getByRole('button', { name: 'Close thread' }).click();
    await expectHidden(joesThread);
    await bubble(joe, 'Thanks!')
      .getByRole('button', { name: /^Reply to Mary/ })
      .click();
    await expect
      .poll(
        () =>
          bubble(joe, 'Who brings the cake?').evaluate(
            (element) => element === document.activeElement,
          ),
        { timeout: UI_TIMEOUT_MS },
      )
      .toBe(true);

    // On a phone the thread takes the whole screen, and closes back to the room.
    const phone = await user('Alex', 0, PHONE);
    await expectShownOnce(phone, 'Thanks!');
    await bubble(phone, 'Who brings the cake?')
      .getByRole('button', { name: /^2 replies\b/ })
      .click();
    const phoneThread = phone.getByRole('complementary', { name: 'Thread' });
    await expectVisible(phoneThread.getByText('Thanks!', { exact: true }));
    const box = await phoneThread.boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: PHONE.width, height: PHONE.height });
    await expectAccessible(phone, 'a thread on a phone');
    await screenshot(phone, 'thread-phone.png');
    await phone.keyboard.press('Escape');
    await expectHidden(phoneThread);
  });

  it('shows "Seen" in a private room under the last message the other person read, live', async () => {
    const mary = await user('Mary', 0);
    const joe = await user('Joe', 1);
    await mary.getByRole('button', { name: 'Message Joe' }).click();
    await expectVisible(mary.getByRole('heading', { name: 'Joe', level: 1 }));
    await send(mary, 'Are you there, Joe?');
    await expectShownOnce(mary, 'Are you there, Joe?');
    const seen = messageLog(mary).getByText('Seen', { exact: true });
    await expectHidden(seen);

    // Joe, on the other instance, opens the room and reads it.
    await roomButton(joe, 'Mary').click();
    await expectShownOnce(joe, 'Are you there, Joe?');
    await expectVisible(bubble(mary, 'Are you there, Joe?').getByText('Seen', { exact: true }));
    await expectAccessible(mary, 'a private room with "Seen"');

    // The next message he reads takes it: one "Seen", under the newest.
    await send(mary, 'Lunch?');
    await expectShownOnce(joe, 'Lunch?');
    await expectVisible(bubble(mary, 'Lunch?').getByText('Seen', { exact: true }));
    expect(await seen.count()).toBe(1);
    await screenshot(mary, 'seen.png');
  });
});
