/** Files and images: uploads to a room, attached to messages, served to the room's readers. */
import type { FastifyInstance } from 'fastify';
import type { ChatEvents, DomainEvents } from '../../kernel/domain-events.js';
import type { RedisClient } from '../../kernel/redis/client.js';
import { UPLOADS_PREFIX, UPLOAD_BYTES_PREFIX } from '../../kernel/redis/keys.js';
import { RedisRateLimiter, perUserLimiter } from '../../kernel/redis/rate-limiter.js';
import type { Logger } from 'pino';
import type { Attachments } from '../messages/index.js';
import { fileRoutes } from './http-routes.js';
import { sharpImages } from './images.js';
import type { FileStorage, RoomAccess } from './ports.js';
import { RedisFileStorage } from './redis-store.js';
import { FileRules, type FileLimits } from './rules.js';

export { sniffImageType } from './images.js';
export { MemoryFileStorage } from './memory-store.js';
export type { FileStorage, StoredFile } from './ports.js';
export { FileRules, cleanFileName, servedType } from './rules.js';

const DAY_S = 24 * 60 * 60;

/** Attaches uploads to new messages (the messages feature's port), and serves the routes. */
export interface FilesFeature extends Attachments {
  routes(app: FastifyInstance): void;
}

export interface FilesDeps {
  redis: RedisClient;
  events: DomainEvents<ChatEvents>;
  rooms: RoomAccess;
  limits: FileLimits;
  log: Logger;
  /** Where the bytes go; Redis unless another backend (an object store) is given. */
  storage?: FileStorage;
}

export function createFiles(deps: FilesDeps): FilesFeature {
  const quota = new RedisRateLimiter(deps.redis, {
    keyPrefix: UPLOAD_BYTES_PREFIX,
    points: deps.limits.uploadBytesPerDay,
    durationS: DAY_S,
  });
  const rules = new FileRules(
    {
      storage: deps.storage ?? new RedisFileStorage(deps.redis),
      quota: {
        consume: (userId, bytes) => quota.consume(userId, bytes),
        refund: (userId, bytes) => quota.refund(userId, bytes),
      },
      uploads: perUserLimiter(deps.redis, UPLOADS_PREFIX, deps.limits.uploadsPerMinute),
      images: sharpImages,
      rooms: deps.rooms,
    },
    deps.limits,
  );
  deps.events.on('message.deleted', async ({ previous }) => {
    try {
      await rules.deleteAll(previous.id, previous.files);
    } catch (error) {
      deps.log.error({ err: error, messageId: previous.id }, 'the files of a deleted message stay');
    }
  });
  // Messages removed for good (retention, a deleted room) take their files with them.
  deps.events.on('messages.removed', async ({ roomId, messages }) => {
    try {
      await Promise.all(messages.map((message) => rules.deleteAll(message.id, message.files)));
    } catch (error) {
      deps.log.error({ err: error, roomId }, 'the files of removed messages stay');
    }
  });
  return {
    attach: (author, roomId, fileIds, messageId, retry) =>
      rules.attach(author, roomId, fileIds, messageId, retry),
    routes: (app) => fileRoutes(app, rules, deps.limits.maxUploadBytes),
  };
}
