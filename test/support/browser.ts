/**
 * Chromium for the browser tests: Debian's build driven by playwright-core (never a downloaded
 * browser), and a guard that fails a test on any console error or uncaught exception in a page,
 * except the few a test declares it expects (a 401 for a wrong password, refused connections
 * while the server restarts), each matched by text and by URL.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type ConsoleMessage,
  type Page,
} from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const WEB_BUILD_INDEX = resolve('dist/web/index.html');

/** The browser tests run against the production build: say so plainly when it is missing. */
export function requireWebBuild(): void {
  if (!existsSync(WEB_BUILD_INDEX)) {
    throw new Error(
      `${WEB_BUILD_INDEX} is missing: build the web client first (\`npm run build\`); ` +
        'the browser tests run against the production build that the server serves.',
    );
  }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface ExpectedConsoleError {
  /** Why the test expects it, for the failure message if the rule is wrong. */
  reason: string;
  text: RegExp;
  /** The URL the message is about (for network errors: the request's URL). */
  url: RegExp;
}

export class ConsoleGuard {
  private readonly problems: string[] = [];
  private readonly expected: ExpectedConsoleError[] = [];

  /** Declares console errors this test provokes on purpose. */
  expect(error: ExpectedConsoleError): void {
    this.expected.push(error);
  }

  watch(page: Page, label: string): void {
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      const url = message.location().url;
      if (this.expected.some((rule) => rule.text.test(text) && rule.url.test(url))) return;
      this.problems.push(`[${label}] console error: ${text}${url ? ` (${url})` : ''}`);
    });
    // An uncaught exception is never expected.
    page.on('pageerror', (error) => {
      this.problems.push(`[${label}] uncaught exception: ${error.stack ?? error.message}`);
    });
  }

  /** Throws if any page logged an error that was not declared. */
  assertClean(): void {
    if (this.problems.length > 0) {
      const list = this.problems.splice(0).join('\n');
      throw new Error(`the browser reported errors:\n${list}`);
    }
  }
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 812 };

/** A fresh context (its own cookies: its own user) with one guarded page at `url`. */
export async function openPage(
  browser: Browser,
  guard: ConsoleGuard,
  label: string,
  url: string,
  options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? DESKTOP,
    colorScheme: options.colorScheme ?? 'light',
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  guard.watch(page, label);
  await page.goto(url);
  return { context, page };
}
