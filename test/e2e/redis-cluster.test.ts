/**
 * What `npm run cluster -- 3 --redis-cluster` starts, through the same launcher call: a 3+3 Redis
 * Cluster, 3 instances and the load balancer. Two people chat in two browsers through the
 * balancer, the master serving General's history dies with SIGKILL, and the chat carries on: a
 * message sent during the failover arrives (at once or after Retry), messages sent afterwards
 * arrive on the other side, and after a reload every acknowledged message is there exactly once.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type Deployment,
  type RedisClusterDeployment,
  launch,
} from '../../scripts/launcher/index.js';
import {
  ConsoleGuard,
  type OpenedPage,
  chromiumPath,
  launchBrowser,
  openPage,
  requireWebBuild,
} from '../support/browser.js';
import {
  UI_TIMEOUT_MS,
  bubble,
  expectShownOnce,
  expectVisible,
  messageLog,
  send,
  signIn,
} from './chat-page.js';

/** The cluster and three instances start side by side on a busy machine: be patient. */
const START_TIMEOUT_MS = 180_000;
const SERVER_READY_TIMEOUT_MS = 90_000;
/** `npm run cluster` runs the build, and so does this test (`npm run build` makes it). */
const SERVER_BUILD = resolve('dist/server/main.js');
/** Failure detection (2 s node timeout), the replica's election, the servers' slot refresh. */
const FAILOVER_TIMEOUT_MS = 30_000;
/** General's history: the sorted set every General message is written to. */
const GENERAL_HISTORY_KEY = 'room:0';
/** The sharded Socket.IO adapter's one channel (static subscription mode, namespace `/`). */
const ADAPTER_CHANNEL = 'socket.io#/#';

let deployment: Deployment | undefined;
let browser: Browser | undefined;
let guard: ConsoleGuard;
const opened: OpenedPage[] = [];

const cluster = () => deployment?.redis as RedisClusterDeployment;

beforeAll(async () => {
  requireWebBuild();
  if (!existsSync(SERVER_BUILD)) {
    throw new Error(`${SERVER_BUILD} is missing: build the server first (\`npm run build\`)`);
  }
  const chromiumExecutable = chromiumPath();
  // The call scripts/cluster.ts makes, on a temporary cluster and free ports, with test settings.
  deployment = await launch({
    redisCluster: {},
    instances: 3,
    server: {
      entry: 'dist',
      readyTimeoutMs: SERVER_READY_TIMEOUT_MS,
      env: {
        LOG_LEVEL: 'silent',
        COOKIE_SECURE: 'false',
        WEB_DIST_DIR: 'dist/web',
        TRUST_PROXY: '127.0.0.1',
        MESSAGES_PER_SECOND: '1000',
      },
    },
    balancer: { port: 0 },
  });
  browser = await launchBrowser(chromiumExecutable);
}, START_TIMEOUT_MS);

beforeEach(() => {
  guard = new ConsoleGuard();
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map(({ context }) => context.close()));
  guard.assertClean();
});

afterAll(async () => {
  await browser?.close();
  await deployment?.stop();
});

/** `name` signed in, in a browser context of their own, through the balancer. */
async function person(name: string): Promise<Page> {
  if (!browser || !deployment?.balancer) throw new Error('the deployment did not start');
  const result = await openPage(browser, guard, name, deployment.balancer.url);
  opened.push(result);
  await signIn(result.page, name);
  await expectVisible(result.page.locator('.sidebar__status--online'));
  return result.page;
}

/** The sender's bubble says Sent: the server acknowledged (stored) it. */
const expectAcknowledged = (page: Page, text: string, timeout = UI_TIMEOUT_MS) =>
  expectVisible(bubble(page, text).locator('.bubble__state').getByText('Sent'), timeout);

/**
 * Sends `text` and waits until `to` shows it: a send refused during the failover shows
 * "Not sent" with Retry, and the person retries, as they would.
 */
async function deliver(from: Page, to: Page, text: string) {
  await send(from, text);
  const retry = bubble(from, text).getByRole('button', { name: 'Retry' });
  const deadline = Date.now() + FAILOVER_TIMEOUT_MS;
  let retries = 0;
  while ((await bubble(to, text).count()) === 0) {
    if (Date.now() > deadline) throw new Error(`"${text}" never reached the other side`);
    if (await retry.isVisible()) {
      await retry.click();
      retries++;
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  await expectShownOnce(to, text);
  await expectAcknowledged(from, text);
  return retries;
}

describe('two browsers on a Redis Cluster that loses a master', () => {
  it('keep chatting through the failover and lose no acknowledged message', async () => {
    const mary = await person('Mary');
    const pablo = await person('Pablo');
    const said: string[] = [];
    const say = async (from: Page, to: Page, text: string) => {
      const retries = await deliver(from, to, text);
      said.push(text);
      return retries;
    };

    await say(mary, pablo, 'before the failover, from Mary');
    await say(pablo, mary, 'before the failover, from Pablo');

    // With 3 masters, General's history (slot 15090) and the adapter's channel (slot 13868)
    // share a shard: killing its master breaks both the writes and the live delivery.
    const victim = await cluster().masterOf(GENERAL_HISTORY_KEY);
    expect((await cluster().masterOf(ADAPTER_CHANNEL)).port).toBe(victim.port);
    const node = cluster().nodes.find((candidate) => candidate.port === victim.port);
    if (!node) throw new Error(`no node on port ${victim.port}`);
    await node.kill();
    const killedAt = Date.now();

    // Sent straight into the gap: answered with an error (then retried) or accepted late.
    const retries = await say(mary, pablo, 'during the failover, from Mary');
    const deliveredAfterMs = Date.now() - killedAt;
    await cluster().waitUntilHealthy(FAILOVER_TIMEOUT_MS);
    expect((await cluster().masterOf(GENERAL_HISTORY_KEY)).port).not.toBe(victim.port);
    console.log(
      `failover in the browser: the message sent into the gap arrived ${deliveredAfterMs} ms ` +
        `after the kill, after ${retries} retries`,
    );

    await say(pablo, mary, 'after the failover, from Pablo');
    await say(mary, pablo, 'after the failover, from Mary');

    // History now comes from the promoted replica: everything acknowledged is there, once.
    for (const page of [mary, pablo]) {
      await page.reload();
      await messageLog(page).waitFor({ timeout: UI_TIMEOUT_MS });
      for (const text of said) await expectShownOnce(page, text);
    }
  }, 120_000);
});
