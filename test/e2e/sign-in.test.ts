/** Signing in, registering, the refusals a person can run into, and signing out. */
import { describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { browserSuite } from '../support/browser-suite.js';
import { composer, expectVisible, messageLog, screenshot, signIn } from './chat-page.js';

describe('sign-in screen', () => {
  // A low per-name limit so that the rate-limit message can be reached.
  const suite = browserSuite({ env: { LOGIN_FAILURES_PER_USERNAME: '3' } });
  let visitors = 0;
  const open = () => suite.open(`visitor ${++visitors}`);

  it('shows the demo accounts and explains a wrong password, a bad name and a rate limit', async () => {
    // Chrome logs every 4xx answer as a console error: these three are the point of the test.
    suite.guard.expect({ reason: 'wrong password', text: /status of 401/, url: /\/login$/ });
    suite.guard.expect({ reason: 'invalid name', text: /status of 400/, url: /\/login$/ });
    suite.guard.expect({ reason: 'rate limit', text: /status of 429/, url: /\/login$/ });
    const page = await open();
    await expectVisible(page.getByRole('button', { name: 'Sign in' }));
    for (const name of ['Pablo', 'Joe', 'Mary', 'Alex']) {
      await expectVisible(page.getByRole('button', { name: `Use demo account ${name}` }));
    }
    await expectVisible(page.getByText('password123'));
    await screenshot(page, 'login.png');
    await expectAccessible(page, 'the sign-in screen');

    const alert = page.getByRole('alert');
    await page.getByLabel('Name').fill('Pablo');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectVisible(alert.getByText(/Wrong password for “Pablo”/));
    await expectAccessible(page, 'the sign-in screen with an error');

    await page.getByLabel('Name').fill('no spaces please');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectVisible(alert.getByText(/^Username must be 1–32 characters/));

    await page.getByLabel('Name').fill('Pablo');
    for (let attempt = 0; attempt < 3; attempt++) {
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Sign in' }).and(page.locator(':enabled')).waitFor();
    }
    await expectVisible(alert.getByText(/Too many failed sign-ins\. Try again in/));
  });

  it('registers a new name, keeps the session on reload, and signs out', async () => {
    const page = await open();
    await signIn(page, 'Grace', 'a-long-secret');
    await expectVisible(page.getByRole('heading', { name: 'General', level: 1 }));
    await expectVisible(page.getByText('Grace', { exact: true }).first());

    await page.reload();
    await messageLog(page).waitFor();
    await expectVisible(composer(page));

    await page.getByRole('button', { name: 'Log out' }).click();
    await expectVisible(page.getByRole('button', { name: 'Sign in' }));
    await page.reload();
    await expectVisible(page.getByRole('button', { name: 'Sign in' }));

    // The new account exists: the same password signs in again.
    await signIn(page, 'Grace', 'a-long-secret');
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('can be used from the keyboard alone', async () => {
    const page = await open();
    await expectVisible(page.getByLabel('Name'));
    // The name field has the focus on arrival.
    await page.keyboard.type('Alex');
    await page.keyboard.press('Tab');
    await page.keyboard.type('password123');
    await page.keyboard.press('Enter');
    await messageLog(page).waitFor();
    // The message box has the focus: type and send.
    await page.keyboard.type('typed without a mouse');
    await page.keyboard.press('Enter');
    await expectVisible(messageLog(page).getByText('typed without a mouse', { exact: true }));
    // The rooms are reachable with Tab and open with Enter.
    const joe = page
      .getByRole('navigation', { name: 'Rooms' })
      .getByRole('button', { name: /^Joe/ });
    for (
      let presses = 0;
      presses < 20 && !(await joe.evaluate((el) => el === document.activeElement));
      presses++
    ) {
      await page.keyboard.press('Shift+Tab');
    }
    await page.keyboard.press('Enter');
    await expectVisible(page.getByRole('heading', { name: 'Joe', level: 1 }));
  });
});
