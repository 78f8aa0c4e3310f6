/**
 * The message.batch extension across two server processes: messages relayed from another
 * instance wait in the receiving instance's batch window with its own, so a batch-receiving
 * socket gets one frame per window however many instances the messages come from; and an edit
 * relayed after its message still reaches it after the message. A long window
 * (MESSAGE_BATCH_MS) makes both observable without timing the server.
 */
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, UserPresence } from '../../src/protocol/models.js';
import type { ChatClientSocket } from '../support/clients.js';
import {
  type Person,
  type Tab,
  openTab,
  recordTab,
  sent,
  signIn,
  startInstances,
} from '../support/cluster.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import type { ServerProcess } from '../support/server.js';
import { waitFor } from '../support/wait.js';

/** Long enough for both messages below to reach the reader's instance within one window. */
const BATCH_WINDOW_MS = 1500;

let redis: TestRedis;
let servers: ServerProcess[];
const tabs: Tab[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  servers = await startInstances(redis.url, 2, { MESSAGE_BATCH_MS: String(BATCH_WINDOW_MS) });
});

afterAll(async () => {
  for (const tab of tabs) tab.close();
  await Promise.all((servers ?? []).map((server) => server.stop()));
  await redis?.stop();
});

const server = (i: number) => servers[i] as ServerProcess;

/** A socket that opted in to message.batch, recording everything it receives. */
async function batchedTab(on: ServerProcess, person: Person): Promise<Tab> {
  const socket: ChatClientSocket = io(on.url, {
    extraHeaders: { cookie: person.http.cookie },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { messageBatch: true },
  });
  await new Promise((done, fail) => {
    socket.once('connect', () => done(undefined));
    socket.once('connect_error', fail);
  });
  const tab = recordTab(`${person.user.username} (batched)`, socket);
  tabs.push(tab);
  return tab;
}

/** The events of a tab that carry one of these messages: `batch <ids>` or `updated <id>`. */
function eventsAbout(tab: Tab, ids: string[]): string[] {
  const ours = (id: string) => ids.includes(id);
  return tab.events.flatMap(({ event, payload }) => {
    if (event === 'message.batch') {
      const batch = (payload as ChatMessage[]).map((m) => m.id).filter(ours);
      return batch.length > 0 ? [`batch ${batch.sort().join(' ')}`] : [];
    }
    if (event === 'message.updated' && ours((payload as ChatMessage).id)) {
      return [`updated ${(payload as ChatMessage).id}`];
    }
    return [];
  });
}

describe('message batches across instances', () => {
  it('puts messages from this instance and another in one batch per window', async () => {
    const reader = await signIn(server(1).url, 'Pablo');
    const readerTab = await batchedTab(server(1), reader);
    const local = await signIn(server(1).url, 'Joe');
    const remote = await signIn(server(0).url, 'Mary');
    const localTab = await openTab(server(1), local);
    const remoteTab = await openTab(server(0), remote);
    tabs.push(localTab, remoteTab);
    // Presence of the two senders first: nothing else is under way while the window is open.
    await waitFor('both senders online for the reader', () =>
      [local.user.id, remote.user.id].every((id) =>
        readerTab.received<UserPresence>('user.connected').some((user) => user.id === id),
      ),
    );

    const [here, relayed] = await Promise.all([
      sent(localTab, '0', 'stored by the reader’s instance'),
      sent(remoteTab, '0', 'stored by the other instance'),
    ]);
    const ids = [here.id, relayed.id];
    await waitFor('both messages', () =>
      ids.every((id) => eventsAbout(readerTab, ids).some((event) => event.includes(id))),
    );
    expect(eventsAbout(readerTab, ids)).toEqual([`batch ${[...ids].sort().join(' ')}`]);
  });

  it('sends an edit made on another instance after the batch holding its message', async () => {
    const reader = await signIn(server(1).url, 'Alex');
    const readerTab = await batchedTab(server(1), reader);
    const author = await signIn(server(0).url, 'Joe');
    const authorTab = await openTab(server(0), author);
    tabs.push(authorTab);

    const posted = await sent(authorTab, '0', 'edited at once');
    const edit = await authorTab.socket
      .timeout(5000)
      .emitWithAck('message.edit', { roomId: '0', id: posted.id, message: 'edited' });
    expect(edit).toMatchObject({ ok: true });
    await waitFor('the update', () => eventsAbout(readerTab, [posted.id]).length >= 2);
    expect(eventsAbout(readerTab, [posted.id])).toEqual([
      `batch ${posted.id}`,
      `updated ${posted.id}`,
    ]);
  });
});
