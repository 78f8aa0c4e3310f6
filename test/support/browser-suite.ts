/**
 * The life cycle every browser test file shares, declared once: a Redis of its own, one or more
 * chat server processes on it, one Chromium, and per test a fresh console guard and fresh browser
 * contexts that are closed (and the guard checked) when the test ends.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import {
  ConsoleGuard,
  chromiumPath,
  launchBrowser,
  openPage,
  requireWebBuild,
  type OpenedPage,
} from './browser.js';
import { startTestRedis, type TestRedis } from './redis.js';
import { startServerProcesses, type ServerProcess } from './server.js';

export interface BrowserSuiteOptions {
  /** Server processes on the one Redis (default 1). */
  instances?: number;
  /** Extra environment for every server process. */
  env?: Record<string, string>;
}

export interface OpenOptions {
  /** Where the page opens (default: the first instance). */
  url?: string;
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

export interface BrowserSuite {
  readonly redis: TestRedis;
  readonly browser: Browser;
  /** The running instances, in start order. */
  readonly servers: ServerProcess[];
  /** The first instance. */
  readonly server: ServerProcess;
  /** This test's guard: declare the console errors it provokes on purpose. */
  readonly guard: ConsoleGuard;
  /** A page in a fresh browser context (its own cookies: its own person), closed after the test. */
  open(label: string, options?: OpenOptions): Promise<Page>;
  /** Runs when the file ends, before the servers stop: for what a test started itself. */
  atEnd(release: () => unknown): void;
}

/** Registers the hooks of a browser test file and returns the handles its tests use. */
export function browserSuite(options: BrowserSuiteOptions = {}): BrowserSuite {
  let redis: TestRedis | undefined;
  let browser: Browser | undefined;
  let guard: ConsoleGuard | undefined;
  const servers: ServerProcess[] = [];
  const opened: OpenedPage[] = [];
  const releases: (() => unknown)[] = [];

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is used before the suite started`);
    return value;
  };

  beforeAll(async () => {
    requireWebBuild();
    // Before anything starts: a missing browser is reported in one line.
    const chromiumExecutable = chromiumPath();
    redis = await startTestRedis();
    servers.push(...(await startServerProcesses(options.instances ?? 1, redis, options.env)));
    browser = await launchBrowser(chromiumExecutable);
  });

  beforeEach(() => {
    guard = new ConsoleGuard();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map(({ context }) => context.close()));
    guard?.assertClean();
  });

  afterAll(async () => {
    for (const release of releases.splice(0).reverse()) await release();
    await browser?.close();
    await Promise.all(servers.map((server) => server.stop()));
    await redis?.stop();
  });

  return {
    get redis() {
      return ready(redis, 'redis');
    },
    get browser() {
      return ready(browser, 'the browser');
    },
    servers,
    get server() {
      return ready(servers[0], 'the first server');
    },
    get guard() {
      return ready(guard, 'the console guard');
    },
    async open(label, { url, ...pageOptions } = {}) {
      const result = await openPage(
        ready(browser, 'the browser'),
        ready(guard, 'the console guard'),
        label,
        url ?? ready(servers[0], 'the first server').url,
        pageOptions,
      );
      opened.push(result);
      return result.page;
    },
    atEnd(release) {
      releases.push(release);
    },
  };
}
