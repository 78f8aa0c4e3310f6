/**
 * Notifications with two people on two instances: the offer after a first message, a desktop
 * notification for a mention and a private message while the tab is hidden (counted by a stand-in
 * for the Notification constructor, so no system notification service is involved), the unread
 * total in the title and the icon, a click that opens the room, and a muted room that stays quiet.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible } from '../support/axe.js';
import { browserSuite } from '../support/browser-suite.js';
import {
  UI_TIMEOUT_MS,
  expectHidden,
  expectShownOnce,
  expectVisible,
  roomButton,
  send,
  signedInOn,
} from './chat-page.js';

interface ShownNotification {
  title: string;
  body: string;
  tag: string;
}

declare global {
  interface Window {
    shownNotifications?: (ShownNotification & { onclick: (() => void) | null })[];
  }
}

/**
 * Replaces window.Notification with a stand-in that records what the chat shows and keeps the
 * browser's real permission (granted through the browser context).
 */
async function recordNotifications(page: Page) {
  await page.evaluate(() => {
    const Real = window.Notification;
    const shown: NonNullable<Window['shownNotifications']> = [];
    function Recorded(title: string, options: NotificationOptions = {}) {
      const notification = {
        title,
        body: options.body ?? '',
        tag: options.tag ?? '',
        onclick: null,
        close: () => undefined,
      };
      shown.push(notification);
      return notification;
    }
    Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
    Object.assign(Recorded, { requestPermission: () => Real.requestPermission() });
    window.Notification = Recorded as unknown as typeof Notification;
    window.shownNotifications = shown;
  });
}

const shownNotifications = (page: Page) =>
  page.evaluate(() =>
    (window.shownNotifications ?? []).map(({ title, body, tag }) => ({ title, body, tag })),
  );

/**
 * Puts the page in the background as the chat sees it: `document.visibilityState` says hidden and
 * the `visibilitychange` event fires, as when another tab comes to the front (headless Chromium
 * keeps every page visible, so this is the reliable way).
 */
async function setHidden(page: Page, hidden: boolean) {
  await page.evaluate((hide) => {
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (hide ? 'hidden' : 'visible'),
    });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hide });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

describe('notifications', () => {
  const suite = browserSuite({ instances: 2, env: { MESSAGES_PER_SECOND: '1000' } });

  /** New people (registered on sign-in): nothing unread from the demo's data in their title. */
  const user = (name: string, instance: 0 | 1) =>
    signedInOn(suite, name, instance, { password: `${name.toLowerCase()}-password` });

  it('notifies of a mention and a private message while hidden; a muted room stays quiet', async () => {
    const nina = await user('Nina', 0);
    const omar = await user('Omar', 1);
    await recordNotifications(nina);

    // Nothing is asked on load; after the first message the offer appears.
    const offer = nina.getByRole('button', { name: 'Turn on notifications' });
    expect(await offer.count()).toBe(0);
    await send(nina, 'Morning all');
    await expectVisible(offer);
    await expectAccessible(nina, 'the offer to turn notifications on');
    await nina.context().grantPermissions(['notifications'], { origin: suite.servers[0]!.url });
    await offer.click();
    await expectHidden(offer);

    // Hidden: a mention in General (the open room) and a private message both notify.
    await setHidden(nina, true);
    await send(omar, '@Nina the build is green');
    await send(omar, 'Lunch later?');
    await expect
      .poll(() => shownNotifications(nina), { timeout: UI_TIMEOUT_MS })
      .toEqual([
        {
          title: 'Omar in General',
          body: 'Mentioned you: @Nina the build is green',
          tag: 'redis-chat:room:0',
        },
      ]);
    expect(await nina.title()).toBe('General · Redis Chat');

    await omar.getByRole('button', { name: 'Message Nina' }).click();
    await expectVisible(omar.getByRole('heading', { name: 'Nina', level: 1 }));
    await send(omar, 'Are you there?');
    await expect
      .poll(async () => (await shownNotifications(nina)).map((notice) => notice.title), {
        timeout: UI_TIMEOUT_MS,
      })
      .toEqual(['Omar in General', 'Omar']);
    // The unread total is in the title and drawn on the icon.
    await expect
      .poll(() => nina.title(), { timeout: UI_TIMEOUT_MS })
      .toBe('(1) General · Redis Chat');
    const icon = await nina.locator('link[rel="icon"]').getAttribute('href');
    expect(decodeURIComponent(icon ?? '')).toContain('>1</text>');

    // Clicking the notification opens the private room.
    await setHidden(nina, false);
    await nina.evaluate(() => window.shownNotifications?.at(-1)?.onclick?.());
    await expectVisible(nina.getByRole('heading', { name: 'Omar', level: 1 }));
    await expectShownOnce(nina, 'Are you there?');
    await expect.poll(() => nina.title(), { timeout: UI_TIMEOUT_MS }).toBe('Omar · Redis Chat');

    // Nina mutes General: its messages still count in its row, but not in the title, and a
    // mention there no longer notifies, while the private room still does.
    await roomButton(nina, 'General').click();
    await nina.getByRole('button', { name: 'Mute room' }).click();
    await expectVisible(nina.getByRole('button', { name: 'Unmute room', pressed: true }));
    await roomButton(nina, 'Omar').click();
    await expectVisible(nina.getByRole('heading', { name: 'Omar', level: 1 }));
    await setHidden(nina, true);
    await roomButton(omar, 'General').click();
    await send(omar, '@Nina one more thing in General');
    await expectVisible(roomButton(nina, 'General').getByText('1 unread'));
    await omar.getByRole('button', { name: 'Message Nina' }).click();
    await expectVisible(omar.getByRole('heading', { name: 'Nina', level: 1 }));
    await send(omar, 'and one here');
    await expect
      .poll(async () => (await shownNotifications(nina)).map((notice) => notice.title), {
        timeout: UI_TIMEOUT_MS,
      })
      .toEqual(['Omar in General', 'Omar', 'Omar']);
    expect(await nina.title()).toBe('Omar · Redis Chat');
  });

  it('keeps a mute on the server: the user’s other device follows it live, and after a reload', async () => {
    const laptop = await user('Pia', 0);
    const phone = await user('Pia', 1);
    await laptop.getByRole('button', { name: 'Mute room' }).click();
    await expectVisible(phone.getByRole('button', { name: 'Unmute room', pressed: true }));
    await phone.getByRole('button', { name: 'Unmute room' }).click();
    await expectVisible(laptop.getByRole('button', { name: 'Mute room', pressed: false }));
    await phone.getByRole('button', { name: 'Mute room' }).click();
    await laptop.reload();
    await expectVisible(laptop.getByRole('button', { name: 'Unmute room', pressed: true }));
    await expectAccessible(laptop, 'a muted room');
  });

  it('has settings for desktop notifications, the sound and the muted rooms', async () => {
    const joe = await user('Jo', 0);
    await joe.getByRole('button', { name: 'Mute room' }).click();
    await joe.getByRole('button', { name: 'Notification settings' }).click();
    const dialog = joe.getByRole('dialog', { name: 'Notifications' });
    await expectVisible(dialog.getByRole('button', { name: 'Turn on notifications' }));
    const sound = dialog.getByRole('checkbox', { name: 'Play a sound' });
    expect(await sound.isChecked()).toBe(false);
    await sound.check();
    await expectVisible(dialog.getByRole('button', { name: 'Unmute General' }));
    await expectAccessible(joe, 'the notification settings');

    await dialog.getByRole('button', { name: 'Unmute General' }).click();
    await expectVisible(dialog.getByText(/None\./));
    await joe.keyboard.press('Escape');
    await expectHidden(dialog);
    await expectVisible(joe.getByRole('button', { name: 'Mute room', pressed: false }));

    // The choice stays with this browser.
    await joe.reload();
    await joe.getByRole('button', { name: 'Notification settings' }).click();
    expect(await joe.getByRole('checkbox', { name: 'Play a sound' }).isChecked()).toBe(true);
    await joe.keyboard.press('Escape');

    // The sound plays (Web Audio tones, counted as they start) for a private message in a room
    // Jo is not looking at, with the tab in front.
    await joe.evaluate(() => {
      const started = { count: 0 };
      const create = AudioContext.prototype.createOscillator;
      AudioContext.prototype.createOscillator = function (this: AudioContext) {
        const oscillator = create.call(this);
        const start = oscillator.start.bind(oscillator);
        oscillator.start = (when?: number) => {
          started.count++;
          start(when);
        };
        return oscillator;
      };
      Object.assign(window, { tonesStarted: started });
    });
    const kim = await user('Kim', 1);
    await kim.getByRole('button', { name: 'Message Jo' }).click();
    // The private room opens once the server made it (one request): typed before that, the
    // text would go to the room still open, General.
    await expectVisible(kim.getByRole('heading', { name: 'Jo', level: 1 }));
    await send(kim, 'ping');
    await expectVisible(roomButton(joe, 'Kim').getByText('1 unread'));
    await expect
      .poll(
        () =>
          joe.evaluate(
            () => (window as unknown as { tonesStarted: { count: number } }).tonesStarted.count,
          ),
        {
          timeout: UI_TIMEOUT_MS,
        },
      )
      .toBe(2);
  });
});
