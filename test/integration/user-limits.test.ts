/**
 * Limits on what one user can repeat, seen by a real client: edits and deletes are counted per
 * user (each one is broadcast to the whole room), and a change that changes nothing reaches no one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/protocol/models.js';
import { type ChatClientSocket, HttpClient, collect, connectSocket } from '../support/clients.js';
import { type TestRedis, startTestRedis } from '../support/redis.js';
import { type InProcessServer, startInProcessServer } from '../support/server.js';

const CHANGES_PER_MINUTE = 5;

let redis: TestRedis;
let server: InProcessServer;
let joe: ChatClientSocket;
let mary: ChatClientSocket;

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startInProcessServer(redis.url, {
    MESSAGE_CHANGES_PER_MINUTE: String(CHANGES_PER_MINUTE),
  });
  const signIn = async (name: string) => {
    const http = new HttpClient(server.url);
    await http.login(name);
    return connectSocket(server.url, http.cookie);
  };
  [joe, mary] = await Promise.all([signIn('Joe'), signIn('Mary')]);
});

afterAll(async () => {
  joe?.close();
  mary?.close();
  await server?.stop();
  await redis?.stop();
});

async function post(text: string): Promise<ChatMessage> {
  const ack = await joe.timeout(5000).emitWithAck('message', { roomId: '0', message: text });
  if (!ack.ok) throw new Error(ack.error.message);
  return ack.message;
}

const change = (event: 'message.edit' | 'message.delete', id: string, text = '') =>
  event === 'message.edit'
    ? joe.timeout(5000).emitWithAck('message.edit', { roomId: '0', id, message: text })
    : joe.timeout(5000).emitWithAck('message.delete', { roomId: '0', id });

describe('edits and deletes', () => {
  it('that change nothing are acknowledged and broadcast to no one', async () => {
    const seen = collect(mary, 'message.updated');
    const message = await post('unchanged');
    expect((await change('message.edit', message.id, 'unchanged')).ok).toBe(true);
    expect((await change('message.delete', message.id)).ok).toBe(true);
    expect((await change('message.delete', message.id)).ok).toBe(true);
    // A marker after them: Mary got every update sent before it.
    const marker = await post('marker');
    expect((await change('message.delete', marker.id)).ok).toBe(true);
    await expect.poll(() => seen.map((m) => m.id)).toEqual([message.id, marker.id]);
  });

  it('are limited per user per minute, refused with rate_limited and a wait', async () => {
    const message = await post('often edited');
    // Two were used by the test above.
    for (let i = 2; i < CHANGES_PER_MINUTE; i += 1) {
      expect((await change('message.edit', message.id, `version ${i}`)).ok).toBe(true);
    }
    const refused = await change('message.edit', message.id, 'one too many');
    expect(refused).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    if (!refused.ok)
      expect(refused.error.message).toMatch(/editing and deleting too fast; wait \d+ s/);
    expect(await change('message.delete', message.id)).toMatchObject({
      ok: false,
      error: { code: 'rate_limited' },
    });
  });
});
