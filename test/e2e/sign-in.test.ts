/**
 * Signing in, registering, the refusals a person can run into, signing out, and the account menu
 * (changing the password, signing out everywhere).
 */
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runAdmin } from '../../src/server/admin/main.js';
import { expectAccessible } from '../support/axe.js';
import { PHONE } from '../support/browser.js';
import { browserSuite } from '../support/browser-suite.js';
import { HttpClient } from '../support/clients.js';
import {
  composer,
  expectHidden,
  expectVisible,
  messageLog,
  screenshot,
  signIn,
} from './chat-page.js';

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
    await expectVisible(joe);
    const focused = () => joe.evaluate((el) => el === document.activeElement);
    // Backwards from the message box: past the message's own actions and the room header.
    for (let presses = 0; presses < 60 && !(await focused()); presses++) {
      await page.keyboard.press('Shift+Tab');
    }
    expect(await focused()).toBe(true);
    await page.keyboard.press('Enter');
    await expectVisible(page.getByRole('heading', { name: 'Joe', level: 1 }));
  });

  /** A new user signed in on a phone (375 px) and on a laptop. */
  async function twoDevices(name: string, password: string) {
    const phone = await suite.open(`${name} on a phone`, { viewport: PHONE });
    await signIn(phone, name, password);
    const laptop = await suite.open(`${name} on a laptop`);
    await signIn(laptop, name, password);
    await messageLog(laptop).waitFor();
    // On a phone the account menu is in the drawer.
    await phone.getByRole('button', { name: /^Show rooms/ }).click();
    return { phone, laptop, account: phone.getByRole('button', { name: 'Account' }) };
  }

  it('changes the password from the account menu on a phone: errors shown, other devices signed out', async () => {
    suite.guard.expect({
      reason: 'a wrong current password',
      text: /status of 401/,
      url: /\/me\/password$/,
    });
    const name = `Hedy${Date.now() % 100_000}`;
    const { phone, laptop, account } = await twoDevices(name, 'first-secret');

    await account.click();
    const menu = phone.getByRole('menu', { name: 'Account' });
    await expectVisible(menu);
    expect(await account.getAttribute('aria-expanded')).toBe('true');
    await expectAccessible(phone, 'the account menu at 375 px');
    // The keyboard moves through the items; Escape closes the menu and returns to its button.
    await phone.keyboard.press('ArrowDown');
    await expectVisible(
      menu.getByRole('menuitem', { name: 'Sign out everywhere' }).and(phone.locator(':focus')),
    );
    await phone.keyboard.press('Escape');
    await expectHidden(menu);
    expect(await account.evaluate((el) => el === document.activeElement)).toBe(true);

    await account.click();
    await menu.getByRole('menuitem', { name: 'Change password' }).click();
    const dialog = phone.getByRole('dialog', { name: 'Change password' });
    await dialog.getByLabel('Current password').fill('not-it');
    await dialog.getByLabel('New password', { exact: true }).fill('second-secret');
    await dialog.getByLabel('New password again').fill('second-secret');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await expectVisible(dialog.getByRole('alert').getByText('The current password is not right.'));
    await expectAccessible(phone, 'the password dialog with an error');

    await dialog.getByLabel('Current password').fill('first-secret');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await expectVisible(dialog.getByRole('status').getByText(/Your password is changed/));
    // The other device is signed out; this one stays.
    await expectVisible(laptop.getByRole('button', { name: 'Sign in' }));
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expectVisible(composer(phone));
    await signIn(laptop, name, 'second-secret');
    await messageLog(laptop).waitFor();
  });

  /** `npm run admin -- reset-password <name>` against the suite's Redis: the new password. */
  async function resetByAdmin(name: string): Promise<string> {
    const out = new PassThrough();
    let printed = '';
    out.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const io = { out, err: new PassThrough(), in: Readable.from(['']) };
    expect(await runAdmin(['reset-password', name], io, { REDIS_URL: suite.redis.url })).toBe(0);
    return printed.trim();
  }

  it('asks for a new password before anything else after an administrator reset it', async () => {
    const name = `Rita${Date.now() % 100_000}`;
    await new HttpClient(suite.servers[0]!.url).login(name, 'own-secret');
    const given = await resetByAdmin(name);

    const page = await open();
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Password').fill(given);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change password' });
    await expectVisible(
      dialog.getByText('An administrator reset your password.', { exact: false }),
    );
    // Nothing of the chat before the change, after a reload neither.
    expect(await messageLog(page).count()).toBe(0);
    await expectAccessible(page, 'the password change asked for after a reset');
    await page.reload();
    await expectVisible(dialog);
    expect(await messageLog(page).count()).toBe(0);

    await dialog.getByLabel('Current password').fill(given);
    await dialog.getByLabel('New password', { exact: true }).fill('chosen-secret');
    await dialog.getByLabel('New password again').fill('chosen-secret');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await expectVisible(dialog.getByRole('status').getByText(/Your password is changed/));
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expectVisible(composer(page));
    // Changed for good: a reload opens the chat, and the new password signs in.
    await page.reload();
    await expectVisible(composer(page));
    expect(await dialog.count()).toBe(0);
    await new HttpClient(suite.servers[0]!.url).login(name, 'chosen-secret');
  });

  it('signs out everywhere from the account menu, after a confirmation', async () => {
    const name = `Ida${Date.now() % 100_000}`;
    const { phone, laptop, account } = await twoDevices(name, 'some-secret');
    await account.click();
    await phone.getByRole('menuitem', { name: 'Sign out everywhere' }).click();
    const confirm = phone.getByRole('alertdialog', { name: 'Sign out everywhere?' });
    await expectVisible(confirm);
    await expectAccessible(phone, 'the sign-out-everywhere confirmation');
    await confirm.getByRole('button', { name: 'Sign out everywhere' }).click();
    await expectVisible(phone.getByRole('status').getByText('You are signed out on every device.'));
    await expectVisible(laptop.getByRole('button', { name: 'Sign in' }));
    await phone.reload();
    await expectVisible(phone.getByRole('button', { name: 'Sign in' }));
  });
});
