/**
 * The server restarts under a connected browser: it shows that it is offline, reconnects by
 * itself to the new process on the same port, and fills in what was said meanwhile, each
 * message exactly once. A message typed while offline fails visibly and goes out on retry.
 */
import { describe, expect, it } from 'vitest';
import { browserSuite } from '../support/browser-suite.js';
import { HttpClient, connectSocket } from '../support/clients.js';
import { startServerProcess } from '../support/server.js';
import {
  bubbles,
  composer,
  expectShownOnce,
  expectVisible,
  messageLog,
  send,
  signIn,
} from './chat-page.js';

const LIMITS = { MESSAGES_PER_SECOND: '1000' };

describe('server restart', () => {
  const suite = browserSuite({ env: LIMITS });

  /** Joe, from outside the browser: signs in on a server and posts to General with acks. */
  async function joeOn(url: string) {
    const http = new HttpClient(url);
    await http.login('Joe');
    const socket = await connectSocket(url, http.cookie);
    suite.atEnd(() => socket.close());
    const post = async (message: string) => {
      const ack = await socket.timeout(5000).emitWithAck('message', { roomId: '0', message });
      if (!ack.ok) throw new Error(`Joe could not post: ${ack.error.message}`);
    };
    return { post };
  }

  it('reconnects after a restart and shows the messages it missed exactly once', async () => {
    // While the server is down the browser's reconnection attempts are refused, and Chrome
    // logs each refused request; those, and only those, are expected here.
    suite.guard.expect({
      reason: 'refused Socket.IO requests while the server is down',
      text: /ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE/,
      url: /\/socket\.io\//,
    });
    suite.guard.expect({
      reason: 'refused WebSocket while the server is down',
      text: /WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/socket\.io\/.*' failed/,
      url: /.*/,
    });
    // A reconnection attempt that reaches the old process while it drains is refused with 403
    // (the server's shutdown refuses new Engine.IO requests so clients go elsewhere).
    suite.guard.expect({
      reason: 'reconnection refused by the server that is shutting down',
      text: /status of 403/,
      url: /\/socket\.io\/\?EIO=4&transport=polling/,
    });
    const page = await suite.open('Mary');
    await signIn(page, 'Mary');

    const joe = await joeOn(suite.server.url);
    await joe.post('before the restart');
    await expectShownOnce(page, 'before the restart');

    // The server goes away: the browser says so.
    const port = suite.server.port;
    expect(await suite.server.stop()).toBe(0);
    await expectVisible(page.getByText('You are offline. Reconnecting…'));

    // Typed while offline: marked failed at once, with a retry.
    await send(page, 'written while offline');
    const failure = messageLog(page).getByRole('alert');
    await expectVisible(failure.getByText('Not sent. You are offline.'));

    // Meanwhile Joe talks through another instance on the same Redis; the browser cannot
    // receive any of it live.
    const helper = await startServerProcess(suite.redis.url, LIMITS);
    suite.servers.push(helper);
    const joeElsewhere = await joeOn(helper.url);
    const missed = ['missed one', 'missed two', 'missed three'];
    for (const text of missed) await joeElsewhere.post(text);
    expect(await bubbles(page, 'missed one').count()).toBe(0);

    // The server comes back on the same port and Redis; Joe posts again right away, likely
    // while the browser is still between two reconnection attempts.
    const restarted = await startServerProcess(suite.redis.url, { ...LIMITS, PORT: String(port) });
    suite.servers[0] = restarted;
    const joeBack = await joeOn(restarted.url);
    await joeBack.post('right after the restart');

    await expectVisible(page.getByText('Back online'));
    for (const text of [...missed, 'right after the restart']) await expectShownOnce(page, text);

    // The offline message goes out on retry, once.
    await failure.getByRole('button', { name: 'Retry' }).click();
    await expectShownOnce(page, 'written while offline');
    await expect.poll(() => messageLog(page).getByRole('alert').count()).toBe(0);

    // Live delivery works again, and nothing was added twice on the way.
    await joeBack.post('all caught up');
    await expectShownOnce(page, 'all caught up');
    for (const text of ['before the restart', ...missed, 'right after the restart']) {
      expect(await bubbles(page, text).count()).toBe(1);
    }
    const order = await messageLog(page).locator('.bubble__text').allTextContents();
    const positions = [...missed, 'right after the restart', 'all caught up'].map((text) =>
      order.indexOf(text),
    );
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(await composer(page).isEditable()).toBe(true);
  });
});
