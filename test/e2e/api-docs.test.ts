/**
 * The API reference page at /docs works offline: every request it makes goes to the chat server
 * (any other is refused and fails the test), and it shows the routes of the table.
 */
import { expect, it } from 'vitest';
import { browserSuite } from '../support/browser-suite.js';
import { expectVisible } from './chat-page.js';

const suite = browserSuite();

it('shows the API reference with nothing fetched from elsewhere', async () => {
  const context = await suite.browser.newContext();
  suite.atEnd(() => context.close());
  const origin = new URL(suite.server.url).origin;
  const elsewhere: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    elsewhere.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  suite.guard.watch(page, 'reader');
  await page.goto(`${origin}/docs`);
  await expectVisible(page.getByRole('heading', { name: 'Redis Chat HTTP API', level: 1 }));
  await expectVisible(page.getByRole('heading', { name: 'Sign in, or register a new name' }));
  for (const tag of ['presence', 'rooms', 'messages', 'reads', 'system', 'interop']) {
    await expectVisible(page.getByText(tag, { exact: true }).first());
  }
  expect(elsewhere).toEqual([]);
});
