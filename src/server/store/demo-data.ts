/**
 * The seed's demo data, written once into an empty Redis (no `total_users`): four users, General,
 * a private room with a greeting between every pair and five messages in General. A lock makes
 * sure one instance writes it even when several start at the same moment; the others wait for it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatMessage } from '../../protocol/models.js';
import { GENERAL_ROOM_ID } from '../../protocol/models.js';
import { encodeMessage } from '../domain/message-codec.js';
import { newMessageId } from '../domain/message-ids.js';
import type { PasswordHasher } from '../domain/ports.js';
import { privateRoomId } from '../domain/rooms.js';
import { demoDataLockKey, roomKey, roomNameKey, totalUsersKey } from '../kernel/redis/keys.js';
import type { RedisChatStore } from './redis-chat-store.js';
import type { RedisClient } from '../kernel/redis/client.js';

export const DEMO_USERNAMES = ['Pablo', 'Joe', 'Mary', 'Alex'] as const;
export const DEMO_PASSWORD = 'password123';
const GREETINGS = ['Hello', 'Hi', 'Yo', 'Hola'];
const GENERAL_MESSAGES = [
  'Hello!',
  'Hi, How are you? What about our next meeting?',
  'Yeah everything is fine',
  'Next meeting tomorrow 10.00AM',
  "Wow that's great",
];
const LOCK_TTL_S = 60;
const WAIT_FOR_OTHER_WRITER_MS = 30_000;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

/** Answers true when this call wrote the data. */
export async function ensureDemoData(
  redis: RedisClient,
  store: RedisChatStore,
  passwords: PasswordHasher,
): Promise<boolean> {
  if (await redis.exists(totalUsersKey())) return false;
  const locked = await redis.set(demoDataLockKey(), '1', {
    condition: 'NX',
    expiration: { type: 'EX', value: LOCK_TTL_S },
  });
  if (locked === null) {
    await waitForOtherWriter(redis);
    return false;
  }
  try {
    if (await redis.exists(totalUsersKey())) return false;
    await writeDemoData(redis, store, passwords);
    return true;
  } finally {
    await redis.del(demoDataLockKey());
  }
}

async function waitForOtherWriter(redis: RedisClient) {
  const deadline = Date.now() + WAIT_FOR_OTHER_WRITER_MS;
  while (Date.now() < deadline) {
    if (!(await redis.exists(demoDataLockKey()))) return;
    await sleep(100);
  }
}

async function writeDemoData(redis: RedisClient, store: RedisChatStore, passwords: PasswordHasher) {
  await redis.set(roomNameKey(GENERAL_ROOM_ID), 'General');
  const passwordHash = await passwords.hash(DEMO_PASSWORD);
  const users = [];
  for (const username of DEMO_USERNAMES) {
    const user = await store.insertUser(username, passwordHash);
    if (user) users.push(user);
  }

  const nowS = Date.now() / 1000;
  const add = async (roomId: string, from: string, text: string, dateS: number) => {
    const micros = Math.round(dateS * 1e6);
    const message: ChatMessage = {
      id: newMessageId(micros),
      from,
      date: Math.floor(dateS),
      message: text,
      roomId,
    };
    await redis.zAdd(roomKey(roomId), { score: micros / 1e6, value: encodeMessage(message) });
  };

  for (const [i, a] of users.entries()) {
    for (const b of users.slice(i + 1)) {
      const roomId = privateRoomId(a.id, b.id);
      await store.addPrivateRoom(roomId, a.id, b.id);
      await add(roomId, b.id, pick(GREETINGS), nowS - Math.random() * 222);
    }
  }
  for (const [i, text] of GENERAL_MESSAGES.entries()) {
    await add(GENERAL_ROOM_ID, pick(users).id, text, nowS - (GENERAL_MESSAGES.length - i) * 200);
  }
}
