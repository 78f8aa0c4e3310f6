/**
 * Reactions, with two people on two server instances that share one Redis: what one of them
 * does reaches the other through the other instance.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { browserSuite } from '../support/browser-suite.js';
import {
  UI_TIMEOUT_MS,
  bubble,
  expectShownOnce,
  expectVisible,
  screenshot,
  send,
  signIn,
} from './chat-page.js';

describe('reactions, threads and "Seen" across two instances', () => {
  const suite = browserSuite({ instances: 2, env: { MESSAGES_PER_SECOND: '1000' } });

  async function user(name: string, instance: 0 | 1): Promise<Page> {
    const server = suite.servers[instance];
    if (!server) throw new Error(`no instance ${instance}`);
    const page = await suite.open(`${name}@${instance}`, { url: server.url });
    await signIn(page, name);
    await expectVisible(page.locator('.sidebar__status--online'));
    return page;
  }

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
});
