/**
 * Search, with two people on two server instances that share one Redis: what one of them wrote
 * is found by the other, and a hit opens the room at the message, history loaded around it.
 */
import { describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { browserSuite } from '../support/browser-suite.js';
import {
  UI_TIMEOUT_MS,
  bubble,
  expectHidden,
  expectShownOnce,
  expectVisible,
  messageLog,
  screenshot,
  send,
  signedInOn,
} from './chat-page.js';

const PHONE = { width: 375, height: 740 };

describe('search across two instances', () => {
  const suite = browserSuite({ instances: 2, env: { MESSAGES_PER_SECOND: '1000' } });

  const user = (name: string, instance: 0 | 1, viewport?: typeof PHONE) =>
    signedInOn(suite, name, instance, { viewport });

  it('finds a message written on the other instance and opens it in context', async () => {
    const mary = await user('Mary', 0);
    await send(mary, 'The kiwi report is in the <b>shared</b> folder');
    // Enough after it that it is not on the first page the other side loads.
    for (let i = 1; i <= 40; i++) await send(mary, `Filler message ${i}`);
    await expectShownOnce(mary, 'Filler message 40');

    const joe = await user('Joe', 1, PHONE);
    await expectShownOnce(joe, 'Filler message 40');
    expect(await bubble(joe, 'Filler message 1').count()).toBe(0);

    // Ctrl+K opens the search with the focus in its box; the word is searched in all rooms.
    await messageLog(joe).click();
    await joe.keyboard.press('Control+k');
    const box = joe.getByRole('searchbox', { name: 'Words to search for' });
    await expectVisible(box);
    expect(await box.evaluate((element) => element === document.activeElement)).toBe(true);
    await box.fill('KIWI');
    await joe.getByLabel('All my rooms').check();
    await box.press('Enter');

    const results = joe.getByRole('list', { name: 'Search results' });
    const hit = results.getByRole('button', { name: /Mary in General/ });
    await expectVisible(hit);
    // The word marked, the markup shown as typed.
    expect(await hit.locator('mark').allTextContents()).toEqual(['kiwi']);
    expect(await hit.locator('.search-hit__text').textContent()).toBe(
      'The kiwi report is in the <b>shared</b> folder',
    );
    await expectAccessible(joe, 'the search results at 375 px');
    await screenshot(joe, 'search.png');

    // Choosing it closes the panel and shows the message, focused, with the history around it.
    await hit.click();
    await expectHidden(box);
    const found = bubble(joe, 'The kiwi report is in the <b>shared</b> folder');
    await expectVisible(found);
    await expect
      .poll(() => found.evaluate((element) => element === document.activeElement), {
        timeout: UI_TIMEOUT_MS,
      })
      .toBe(true);
    expect(await found.getAttribute('data-found')).toBe('');
    await expectShownOnce(joe, 'Filler message 1');
    await expectShownOnce(joe, 'Filler message 12');
    await expectAccessible(joe, 'a message opened from the search');

    // Paging: a word in every filler, one page of 20 and then the rest.
    await joe.keyboard.press('Control+k');
    await box.fill('filler');
    await box.press('Enter');
    await expectVisible(joe.getByRole('status').filter({ hasText: '20 messages found, more' }));
    await joe.getByRole('button', { name: 'More results' }).click();
    await expectVisible(joe.getByRole('status').filter({ hasText: /^40 messages found/ }));
    const texts = await results.locator('.search-hit__text').allTextContents();
    expect(texts[0]).toBe('Filler message 40');
    expect(texts.at(-1)).toBe('Filler message 1');
    await box.press('Escape');
    await expectHidden(box);
    expect(
      await joe
        .getByRole('button', { name: 'Search messages' })
        .evaluate((element) => element === document.activeElement),
    ).toBe(true);
  });
});
