/**
 * Formatted messages between two people: what one types with Markdown shows formatted on the
 * other's screen, HTML and script stay text, links go only where they say, and long code wraps
 * on a phone.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { PHONE } from '../support/browser.js';
import { browserSuite } from '../support/browser-suite.js';
import {
  UI_TIMEOUT_MS,
  composer,
  expectVisible,
  messageLog,
  screenshot,
  send,
  signIn,
} from './chat-page.js';

describe('formatted messages', () => {
  const suite = browserSuite({ instances: 2, env: { MESSAGES_PER_SECOND: '1000' } });

  async function user(name: string, instance: 0 | 1, viewport?: { width: number; height: number }) {
    const page = await suite.open(`${name}@${instance}`, {
      url: suite.servers[instance]!.url,
      ...(viewport ? { viewport } : {}),
    });
    // A script that ran would open a dialog: fail loudly if one ever does.
    page.on('dialog', (dialog) => {
      throw new Error(`a message ran code: ${dialog.type()} "${dialog.message()}"`);
    });
    await signIn(page, name);
    // Connected (on a phone the status line is in the closed drawer: there, but not visible).
    await page
      .locator('.sidebar__status--online')
      .waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
    return page;
  }

  it('shows bold, code, a quote, a list and a safe link on the other side; HTML stays text', async () => {
    const mary = await user('Mary', 0);
    const joe = await user('Joe', 1);

    await composer(mary).fill(
      [
        'Release **today** at `10:00` :tada:',
        '> the _last_ ~~blocker~~ is gone',
        '- docs: [the guide](https://redis.io/docs/latest/)',
        '- not a link: [x](javascript:alert(1))',
        '<script>alert("xss")</script> <img src=x onerror=alert(1)>',
      ].join('\n'),
    );
    await composer(mary).press('Enter');

    const log = messageLog(joe);
    const bubble = log.locator('.bubble').filter({ hasText: 'Release' }).last();
    await expectVisible(bubble.locator('strong').getByText('today', { exact: true }));
    await expectVisible(bubble.locator('code').getByText('10:00', { exact: true }));
    await expectVisible(bubble.locator('blockquote em').getByText('last', { exact: true }));
    await expectVisible(bubble.locator('blockquote s').getByText('blocker', { exact: true }));
    await expect.poll(() => bubble.textContent(), { timeout: UI_TIMEOUT_MS }).toContain('🎉');

    const links = bubble.getByRole('link');
    expect(await links.count()).toBe(1);
    const guide = bubble.getByRole('link', { name: /^the guide/ });
    expect(await guide.getAttribute('href')).toBe('https://redis.io/docs/latest/');
    expect(await guide.getAttribute('target')).toBe('_blank');
    expect(await guide.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    // The domain it goes to is shown with the link's text.
    await expectVisible(guide.getByText('redis.io'));

    // Script and markup arrive as the text that was typed.
    await expectVisible(bubble.getByText('[x](javascript:alert(1))'));
    await expectVisible(
      bubble.getByText(/<script>alert\("xss"\)<\/script> <img src=x onerror=alert\(1\)>/),
    );
    expect(await log.locator('script, img, [onerror]').count()).toBe(0);

    await expectAccessible(joe, 'a formatted message');
    await screenshot(joe, 'formatting.png');
  });

  it('wraps long code on a 375 px phone instead of scrolling the page sideways', async () => {
    const joe = await user('Joe', 0, PHONE);
    const longLine = `const ${'veryLongIdentifier'.repeat(12)} = 1;`;
    await send(joe, `\`\`\`\n${longLine}\n\`\`\``);
    const block = messageLog(joe).locator('pre code').getByText(longLine);
    await expectVisible(block);
    await assertFitsWidth(joe);
    // The box's own width holds the code: nothing sticks out of the bubble either.
    const [blockWidth, bubbleWidth] = await block.evaluate((code) => [
      code.closest('pre')!.scrollWidth,
      code.closest('.bubble')!.clientWidth,
    ]);
    expect(blockWidth).toBeLessThanOrEqual(bubbleWidth);
  });

  it('puts Markdown around the selection with Ctrl+B and Ctrl+I, and explains the syntax', async () => {
    const pablo = await user('Pablo', 1);
    await composer(pablo).fill('make this loud');
    await composer(pablo).evaluate((box: HTMLTextAreaElement) => box.setSelectionRange(10, 14));
    await composer(pablo).press('Control+b');
    expect(await composer(pablo).inputValue()).toBe('make this **loud**');
    await composer(pablo).press('End');
    await composer(pablo).press('Control+i');
    await composer(pablo).pressSequentially('please');
    expect(await composer(pablo).inputValue()).toBe('make this **loud**_please_');

    const help = pablo.getByRole('button', { name: 'Formatting help' });
    await help.click();
    const panel = pablo.getByRole('region', { name: 'Formatting' });
    await expectVisible(panel.getByText('**bold**'));
    await expectAccessible(pablo, 'the formatting help');
    await pablo.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    expect(await help.evaluate((button) => button === document.activeElement)).toBe(true);
  });
});

/** Nothing sticks out sideways. */
async function assertFitsWidth(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
}
