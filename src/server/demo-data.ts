/**
 * The seed's demo data, written once into an empty Redis (no `total_users`): four users, General,
 * a private room with a greeting between every pair and five messages in General. A lock makes
 * sure one instance writes it even when several start at the same moment; the others wait for it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatMessage } from '../protocol/models.js';
import { GENERAL_ROOM_ID } from '../protocol/models.js';
import { privateRoomId } from '../protocol/room-ids.js';
import type { UserStore } from './features/auth/index.js';
import { encodeMessage } from './features/messages/index.js';
import { newMessageId } from './kernel/message-ids.js';
import type { PasswordHasher } from './kernel/passwords.js';
import type { RedisClient } from './kernel/redis/client.js';
import {
  demoDataLockKey,
  roomKey,
  roomNameKey,
  totalUsersKey,
  userRoomsKey,
} from './kernel/redis/keys.js';

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
  users: Pick<UserStore, 'insertUser'>,
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
    await writeDemoData(redis, users, passwords);
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

async function writeDemoData(
  redis: RedisClient,
  users: Pick<UserStore, 'insertUser'>,
  passwords: PasswordHasher,
) {
  await redis.set(roomNameKey(GENERAL_ROOM_ID), 'General');
  const passwordHash = await passwords.hash(DEMO_PASSWORD);
  const demoUsers = [];
  for (const username of DEMO_USERNAMES) {
    const user = await users.insertUser(username, passwordHash);
    if (user) demoUsers.push(user);
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

  for (const [i, a] of demoUsers.entries()) {
    for (const b of demoUsers.slice(i + 1)) {
      const roomId = privateRoomId(a.id, b.id);
      await redis.sAdd(userRoomsKey(a.id), roomId);
      await redis.sAdd(userRoomsKey(b.id), roomId);
      await add(roomId, b.id, pick(GREETINGS), nowS - Math.random() * 222);
    }
  }
  for (const [i, text] of GENERAL_MESSAGES.entries()) {
    await add(
      GENERAL_ROOM_ID,
      pick(demoUsers).id,
      text,
      nowS - (GENERAL_MESSAGES.length - i) * 200,
    );
  }
}
