/**
 * Files in Redis, so that every instance serves what any of them stored: a file's description in
 * the hash `file:<id>`, its bytes in FILE_CHUNK_BYTES pieces in the hash `{file:<id>}:chunks`
 * and an image's thumbnail in `{file:<id>}:thumbnail`. The three share the hash tag of
 * `file:<id>` (one slot), so storing a file is one MULTI and attaching it one script. A file
 * waiting to be attached carries a TTL, which attaching removes.
 */
import { RESP_TYPES } from 'redis';
import type { RedisClient } from '../../kernel/redis/client.js';
import { fileChunksKey, fileKey, fileThumbnailKey } from '../../kernel/redis/keys.js';
import type { FileStorage, StoredFile } from './ports.js';

/** One HSET field; a download reads the file this much at a time. */
export const FILE_CHUNK_BYTES = 256 * 1024;

/** KEYS: file, chunks, thumbnail. ARGV: message id. 1 when attached, 0 when taken or gone. */
const ATTACH_SCRIPT = `
local current = redis.call('HGET', KEYS[1], 'messageId')
if current == false or current ~= '' then return 0 end
redis.call('HSET', KEYS[1], 'messageId', ARGV[1])
redis.call('PERSIST', KEYS[1])
redis.call('PERSIST', KEYS[2])
redis.call('PERSIST', KEYS[3])
return 1
`;

export class RedisFileStorage implements FileStorage {
  /** The same connection, answering bytes as Buffers (text would mangle them). */
  private readonly binary;

  constructor(private readonly redis: RedisClient) {
    this.binary = redis.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  }

  async put(file: StoredFile, bytes: Buffer, thumbnail: Buffer | null, pendingTtlS: number) {
    const chunks: Record<string, Buffer> = {};
    let count = 0;
    for (let start = 0; start < bytes.length; start += FILE_CHUNK_BYTES) {
      chunks[String(count++)] = bytes.subarray(start, start + FILE_CHUNK_BYTES);
    }
    const transaction = this.redis
      .multi()
      .hSet(fileChunksKey(file.id), chunks)
      .expire(fileChunksKey(file.id), pendingTtlS);
    if (thumbnail) {
      transaction.set(fileThumbnailKey(file.id), thumbnail, { EX: pendingTtlS });
    }
    // Last: a description means the bytes are there.
    await transaction
      .hSet(fileKey(file.id), {
        roomId: file.roomId,
        ownerId: file.ownerId,
        name: file.name,
        type: file.type,
        size: String(file.size),
        width: String(file.image?.width ?? ''),
        height: String(file.image?.height ?? ''),
        messageId: file.messageId ?? '',
        chunks: String(count),
      })
      .expire(fileKey(file.id), pendingTtlS)
      .exec();
  }

  async describe(fileId: string): Promise<StoredFile | null> {
    const fields = await this.redis.hGetAll(fileKey(fileId));
    if (!fields.roomId || !fields.ownerId) return null;
    const width = Number(fields.width);
    const height = Number(fields.height);
    return {
      id: fileId,
      roomId: fields.roomId,
      ownerId: fields.ownerId,
      name: fields.name ?? 'file',
      type: fields.type ?? 'application/octet-stream',
      size: Number(fields.size),
      ...(width > 0 && height > 0 ? { image: { width, height } } : {}),
      messageId: fields.messageId || null,
    };
  }

  async attach(fileId: string, messageId: string): Promise<boolean> {
    const attached = await this.redis.eval(ATTACH_SCRIPT, {
      keys: [fileKey(fileId), fileChunksKey(fileId), fileThumbnailKey(fileId)],
      arguments: [messageId],
    });
    return attached === 1;
  }

  async read(fileId: string): Promise<AsyncIterable<Buffer> | null> {
    const stored = await this.redis.hGet(fileKey(fileId), 'chunks');
    const count = Number(stored);
    if (stored === null || !Number.isInteger(count) || count < 0) return null;
    const binary = this.binary;
    return (async function* () {
      for (let i = 0; i < count; i++) {
        const chunk = (await binary.hGet(fileChunksKey(fileId), String(i))) as Buffer | null;
        if (!chunk) throw new Error(`file ${fileId} lost its chunk ${i} while being read`);
        yield chunk;
      }
    })();
  }

  async thumbnail(fileId: string): Promise<Buffer | null> {
    return (await this.binary.get(fileThumbnailKey(fileId))) as Buffer | null;
  }

  async delete(fileId: string): Promise<void> {
    await this.redis
      .multi()
      .del(fileKey(fileId))
      .del(fileChunksKey(fileId))
      .del(fileThumbnailKey(fileId))
      .exec();
  }
}
