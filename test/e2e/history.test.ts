/**
 * A room with a long history: older pages load when scrolling up without moving what is on
 * screen, and new messages pull the view down only when the reader is at the bottom.
 */
import type { Page, Route } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, RoomSummary, SessionUser } from '../../src/protocol/index.js';
import { browserSuite } from '../support/browser-suite.js';
import { HttpClient, connectSocket, type ChatClientSocket } from '../support/clients.js';
import {
  bubbles,
  expectShownOnce,
  expectVisible,
  messageLog,
  roomButton,
  signIn,
} from './chat-page.js';

const HISTORY_SIZE = 70;
const label = (n: number) => `history ${String(n).padStart(3, '0')}`;

/** Where an element is, relative to the scrolling log's visible area. */
async function offsetInLog(page: Page, text: string): Promise<number> {
  return bubbles(page, text).evaluate((element) => {
    const log = element.closest('[role="log"]')!;
    return element.getBoundingClientRect().top - log.getBoundingClientRect().top;
  });
}

async function inView(page: Page, text: string): Promise<boolean> {
  return bubbles(page, text).evaluate((element) => {
    const log = element.closest('[role="log"]')!.getBoundingClientRect();
    const box = element.getBoundingClientRect();
    return box.bottom > log.top && box.top < log.bottom;
  });
}

describe('history', () => {
  const suite = browserSuite({ env: { MESSAGES_PER_SECOND: '1000' } });
  let archivist: HttpClient;
  let archivistSocket: ChatClientSocket;

  const post = async (roomId: string, message: string) => {
    const ack = await archivistSocket.timeout(5000).emitWithAck('message', { roomId, message });
    if (!ack.ok) throw new Error(`could not post: ${ack.error.message}`);
    return ack.message as ChatMessage;
  };

  beforeAll(async () => {
    const { server } = suite;
    // Two people with a long private conversation, written through the real API.
    const reader = new HttpClient(server.url);
    const readerUser = await reader.login('Reader', 'reader-secret');
    archivist = new HttpClient(server.url);
    const archivistUser: SessionUser = await archivist.login('Archivist', 'archivist-secret');
    const room = await archivist.post<RoomSummary>('/room', {
      user1: archivistUser.id,
      user2: readerUser.id,
    });
    archivistSocket = await connectSocket(server.url, archivist.cookie);
    suite.atEnd(() => archivistSocket.close());
    for (let n = 1; n <= HISTORY_SIZE; n++) await post(room.body.id, label(n));
  });

  it('loads older pages on scrolling up, keeping the view still, until the beginning', async () => {
    const page = await suite.open('Reader');
    await signIn(page, 'Reader', 'reader-secret');
    await roomButton(page, 'Archivist').click();
    await expectShownOnce(page, label(HISTORY_SIZE));
    await expectShownOnce(page, label(41));
    expect(await bubbles(page, label(40)).count()).toBe(0);
    expect(await inView(page, label(HISTORY_SIZE))).toBe(true);

    // Hold the next page back so the view can be measured before and after it lands.
    let release: (() => void) | null = null;
    const held = new Promise<Route>((hold) =>
      page.route(/\/messages\?offset=30&/, (route) => hold(route)),
    );
    await messageLog(page).hover();
    await expect
      .poll(async () => {
        await page.mouse.wheel(0, -3000);
        return messageLog(page).evaluate((log) => log.scrollTop);
      })
      .toBe(0);
    const route = await held;
    release = () => void route.continue();
    await expectVisible(page.getByRole('button', { name: 'Loading older messages…' }));
    const before = await offsetInLog(page, label(41));
    release();
    await expectShownOnce(page, label(11));
    const after = await offsetInLog(page, label(41));
    expect(Math.abs(after - before)).toBeLessThanOrEqual(2);
    expect(await inView(page, label(11))).toBe(false);
    await page.unroute(/\/messages\?offset=30&/);

    // Keep scrolling up: the last page is shorter, and the room's beginning is announced.
    await expect
      .poll(async () => {
        await page.mouse.wheel(0, -3000);
        return bubbles(page, label(1)).count();
      })
      .toBe(1);
    await expectVisible(
      page.getByText('This is the beginning of your conversation with Archivist.'),
    );
    for (const n of [1, 10, 11, 40, 41, 70]) expect(await bubbles(page, label(n)).count()).toBe(1);
    expect(await messageLog(page).locator('.bubble').count()).toBe(HISTORY_SIZE);
  });

  it('follows new messages only while at the bottom', async () => {
    const page = await suite.open('Reader');
    await signIn(page, 'Reader', 'reader-secret');
    await roomButton(page, 'Archivist').click();
    await expectShownOnce(page, label(HISTORY_SIZE));
    const roomId = (
      await archivist.get<RoomSummary[]>(`/rooms/${await userId(archivist)}`)
    ).body.find((room) => room.names.includes('Reader'))!.id;

    // At the bottom: a new message scrolls into view.
    await post(roomId, 'while at the bottom');
    await expectShownOnce(page, 'while at the bottom');
    await expect.poll(() => inView(page, 'while at the bottom')).toBe(true);

    // Scrolled up to read: the view stays, and a button offers the new message.
    await messageLog(page).hover();
    await page.mouse.wheel(0, -600);
    await expect.poll(() => inView(page, 'while at the bottom')).toBe(false);
    const anchor = label(55);
    await expect.poll(() => inView(page, anchor)).toBe(true);
    const before = await offsetInLog(page, anchor);
    await post(roomId, 'while reading older ones');
    await expectShownOnce(page, 'while reading older ones');
    expect(await inView(page, 'while reading older ones')).toBe(false);
    expect(Math.abs((await offsetInLog(page, anchor)) - before)).toBeLessThanOrEqual(2);

    await page.getByRole('button', { name: 'New messages' }).click();
    await expect.poll(() => inView(page, 'while reading older ones')).toBe(true);
  });
});

async function userId(client: HttpClient): Promise<string> {
  return (await client.get<SessionUser>('/me')).body.id;
}
