/**
 * Chromium for the browser tests: the system's build driven by playwright-core (never a
 * downloaded browser), found through CHROMIUM_PATH or on PATH; and a guard that fails a test on
 * any console error or uncaught exception in a page, except the few a test declares it expects
 * (a 401 for a wrong password, refused connections while the server restarts), each matched by
 * text and by URL.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type ConsoleMessage,
  type Page,
} from 'playwright-core';

/** The names Chromium goes by on PATH, in order of preference. */
const CHROMIUM_COMMANDS = ['chromium', 'chromium-browser', 'google-chrome'];
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

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** CHROMIUM_PATH when set, else the first Chromium on PATH; one clear line when there is none. */
export function chromiumPath(): string {
  // Systems keep Chromium in different places, under different names.
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH=${configured} does not exist`);
    return configured;
  }
  // What `command -v` does: the first executable of that name in a PATH directory.
  const directories = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const command of CHROMIUM_COMMANDS) {
    for (const directory of directories) {
      const path = join(directory, command);
      if (isExecutable(path)) return path;
    }
  }
  throw new Error(
    `No Chromium found: set CHROMIUM_PATH to its executable, or put one of ` +
      `${CHROMIUM_COMMANDS.join(', ')} on PATH (Debian: apt-get install chromium)`,
  );
}

export function launchBrowser(executablePath = chromiumPath()): Promise<Browser> {
  return chromium.launch({
    executablePath,
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
