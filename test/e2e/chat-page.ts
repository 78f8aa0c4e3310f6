/**
 * How the browser tests talk to the chat: by role and label, as a person would, and waiting by
 * polling (locator.waitFor, expect.poll) rather than sleeping.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { BrowserSuite } from '../support/browser-suite.js';
import { expect, inject } from 'vitest';

/** Long enough for a reconnect with back-off after a server restart. */
export const UI_TIMEOUT_MS = 20_000;

export async function signIn(page: Page, username: string, password = 'password123') {
  await page.getByLabel('Name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await messageLog(page).waitFor({ timeout: UI_TIMEOUT_MS });
}

export const messageLog = (page: Page) => page.getByRole('log', { name: /^Messages in / });

export const composer = (page: Page) => page.getByRole('textbox', { name: /^Message / });

export const roomList = (page: Page) => page.getByRole('navigation', { name: 'Rooms' });

export const roomButton = (page: Page, title: string) =>
  roomList(page).getByRole('button', { name: new RegExp(`^${title}\\b`) });

export async function send(page: Page, text: string) {
  await composer(page).fill(text);
  await composer(page).press('Enter');
}

/** The bubbles whose text is exactly `text`. */
export const bubbles = (page: Page, text: string) =>
  messageLog(page).locator('.bubble__text').getByText(text, { exact: true });

/** The whole message (text, labels, actions) whose text is exactly `text`. */
export const bubble = (page: Page, text: string) =>
  messageLog(page)
    .locator('.bubble')
    .filter({ has: page.locator('.bubble__text').getByText(text, { exact: true }) });

/** Waits until `text` is on screen exactly once (never zero, never twice). */
export async function expectShownOnce(page: Page, text: string, timeout = UI_TIMEOUT_MS) {
  await expect
    .poll(() => bubbles(page, text).count(), { timeout, message: `"${text}" shown once` })
    .toBe(1);
}

export async function expectVisible(locator: Locator, timeout = UI_TIMEOUT_MS) {
  await locator.waitFor({ state: 'visible', timeout });
}

export async function expectHidden(locator: Locator, timeout = UI_TIMEOUT_MS) {
  await locator.waitFor({ state: 'hidden', timeout });
}

/** Saves a picture for the README, when `npm run screenshots` asked for them. */
export async function screenshot(page: Page, name: string) {
  const dir = inject('screenshotDir');
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  // Finished transitions: a drawer caught halfway would make a misleading picture.
  await page.screenshot({ path: resolve(dir, name), animations: 'disabled' });
}

/**
 * A person signed in on one of the suite's instances, connected (on a phone the sidebar that
 * says so is a closed drawer, so its status is looked for in the page, seen or not). A name the
 * demo data lacks is registered, with `password`.
 */
export async function signedInOn(
  suite: BrowserSuite,
  name: string,
  instance: number,
  { viewport, password }: { viewport?: { width: number; height: number }; password?: string } = {},
): Promise<Page> {
  const server = suite.servers[instance];
  if (!server) throw new Error(`no instance ${instance}`);
  const page = await suite.open(`${name}@${instance}`, {
    url: server.url,
    ...(viewport ? { viewport } : {}),
  });
  await signIn(page, name, password);
  await page
    .locator('.sidebar__status--online')
    .waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
  return page;
}
