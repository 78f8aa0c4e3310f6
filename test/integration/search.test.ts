/**
 * Search against real Redis with two server processes: messages posted on one instance are found
 * by a user of the other, edits and deletes reach the index, a room the user cannot read never
 * answers, pages follow each other, and searches per user are limited.
 */
import { describe, expect, it } from 'vitest';
import type { ChatMessage, SearchPage } from '../../src/protocol/index.js';
import { searchTermKey } from '../../src/server/kernel/redis/keys.js';
import { type ChatClientSocket, HttpClient } from '../support/clients.js';
import { emitWithAck, twoInstances } from '../support/two-instances.js';
import { waitFor } from '../support/wait.js';

const SEARCHES_PER_MINUTE = 40;
const chat = twoInstances({ SEARCHES_PER_MINUTE: String(SEARCHES_PER_MINUTE) });
const { on } = chat;

async function emit(socket: ChatClientSocket, event: string, payload: unknown) {
  const ack = await emitWithAck<{ message: ChatMessage }>(socket, event, payload);
  if (!ack.ok) throw new Error(`${event} refused: ${ack.error.message}`);
  return ack.message;
}

const search = (http: HttpClient, query: string) => http.get<SearchPage>(`/search?${query}`);
const texts = (page: SearchPage) => page.hits.map((hit) => hit.message.message);

describe('search across instances', () => {
  it('finds what was posted on the other instance, and only in rooms the user can read', async () => {
    const pablo = await on(chat.a, 'Pablo');
    const joe = await on(chat.b, 'Joe');
    await emit(pablo.socket, 'message', { roomId: '0', message: 'Zebra crossing at noon' });
    const mary = await on(chat.a, 'Mary');
    const ours = [pablo.user.id, mary.user.id].sort((x, y) => Number(x) - Number(y)).join(':');
    await emit(pablo.socket, 'message', { roomId: ours, message: 'zebra secret between us' });

    const found = await search(joe.http, 'q=ZEBRA');
    expect(found.status).toBe(200);
    expect(texts(found.body)).toEqual(['Zebra crossing at noon']);
    expect(found.body.terms).toEqual(['zebra']);

    // Mary reads both rooms; newest first.
    const hers = await search(mary.http, 'q=zebra');
    expect(texts(hers.body)).toEqual(['zebra secret between us', 'Zebra crossing at noon']);

    // Naming the private room is refused to Joe.
    const refused = await search(joe.http, `q=zebra&roomId=${ours}`);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'forbidden' });
  });

  it('indexes a send once: a retry of it, on the other instance, leaves no entry of its own', async () => {
    const pablo = await on(chat.a, 'Pablo');
    const tab = await chat.socketOn(chat.b, pablo.http.cookie);
    const payload = { roomId: '0', message: 'narwhal once', clientId: 'c0ffee00-search-0001' };
    const first = await emit(pablo.socket, 'message', payload);
    // The retry is indexed as it is being stored, then found to be a repeat and taken back.
    const again = await emit(tab, 'message', payload);
    expect(again.id).toBe(first.id);
    const index = searchTermKey('0', 'narwhal');
    await waitFor('the retry to leave the index', async () =>
      (await chat.redis.client.zRange(index, 0, -1)).length === 1 ? true : null,
    );
    expect(await chat.redis.client.zRange(index, 0, -1)).toEqual([first.id]);
    expect(texts((await search(pablo.http, 'q=narwhal')).body)).toEqual(['narwhal once']);
  });

  it('follows edits and deletes made on the other instance', async () => {
    const pablo = await on(chat.a, 'Pablo');
    const joe = await on(chat.b, 'Joe');
    const sent = await emit(pablo.socket, 'message', { roomId: '0', message: 'quokka picnic' });
    expect(texts((await search(joe.http, 'q=quokka&roomId=0')).body)).toEqual(['quokka picnic']);

    await emit(pablo.socket, 'message.edit', {
      roomId: '0',
      id: sent.id,
      message: 'wombat picnic',
    });
    expect(texts((await search(joe.http, 'q=quokka')).body)).toEqual([]);
    expect(texts((await search(joe.http, 'q=picnic wombat')).body)).toEqual(['wombat picnic']);

    await emit(pablo.socket, 'message.delete', { roomId: '0', id: sent.id });
    expect(texts((await search(joe.http, 'q=wombat')).body)).toEqual([]);
    expect(await chat.redis.client.exists('{room:0}:search:wombat')).toBe(0);
  });

  it('pages newest first, and shows a hit in context', async () => {
    const pablo = await on(chat.a, 'Pablo');
    const joe = await on(chat.b, 'Joe');
    const sent: ChatMessage[] = [];
    for (let i = 0; i < 5; i++) {
      sent.push(await emit(pablo.socket, 'message', { roomId: '0', message: `okapi number ${i}` }));
    }
    const first = await search(joe.http, 'q=okapi&size=3');
    expect(texts(first.body)).toEqual(['okapi number 4', 'okapi number 3', 'okapi number 2']);
    expect(first.body.next).toBe(sent[2]!.id);
    const second = await search(joe.http, `q=okapi&size=3&before=${first.body.next}`);
    expect(texts(second.body)).toEqual(['okapi number 1', 'okapi number 0']);
    expect(second.body.next).toBeNull();

    const context = await joe.http.get<ChatMessage[]>(
      `/room/0/messages?around=${sent[2]!.id}&size=3`,
    );
    expect(context.status).toBe(200);
    expect(context.body.map((m) => m.message)).toEqual([
      'okapi number 3',
      'okapi number 2',
      'okapi number 1',
    ]);
  });

  it('refuses bad queries with a reason, and too many searches with 429', async () => {
    const joe = await on(chat.b, 'Joe');
    const empty = await search(joe.http, 'q=%20a%20');
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/word/),
    });

    const alex = new HttpClient(chat.a.url);
    await alex.login('Alex');
    let last = await search(alex, 'q=anything');
    for (let i = 1; i <= SEARCHES_PER_MINUTE && last.status === 200; i++) {
      last = await search(alex, 'q=anything');
    }
    expect(last.status).toBe(429);
    expect(last.body).toMatchObject({ code: 'rate_limited' });
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
