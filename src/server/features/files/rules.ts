/**
 * The rules of files: who may upload where and how much, what a file is served as, who may fetch
 * it, and that a file belongs to one message of its uploader, in the room it was uploaded to.
 */
import { randomBytes } from 'node:crypto';
import {
  FILES_PER_MESSAGE_MAX,
  INLINE_IMAGE_TYPES,
  type FileRef,
} from '../../../protocol/files.js';
import type { SessionUser } from '../../../protocol/models.js';
import { AppError, badRequest, notFound, rateLimited } from '../../kernel/errors.js';
import { textProblem } from '../../kernel/user-text.js';
import type {
  FileStorage,
  Images,
  RoomAccess,
  StoredFile,
  UploadQuota,
  UploadRate,
} from './ports.js';

/** A file not attached to a message within this long is dropped (and its bytes stay counted). */
export const PENDING_FILE_TTL_S = 60 * 60;

export interface FileLimits {
  /** Bytes one upload may carry (MAX_UPLOAD_BYTES). */
  maxUploadBytes: number;
  /** Bytes one user may upload per day (UPLOAD_BYTES_PER_DAY). */
  uploadBytesPerDay: number;
  /**
   * Bytes an upload counts at least against the daily bytes (UPLOAD_MIN_CHARGE_BYTES): without
   * it, a day's bytes in 1-byte files would be millions of files, each kept in Redis.
   */
  uploadMinChargeBytes: number;
  /** Uploads one user may make per minute, whatever their size (UPLOADS_PER_USER_PER_MINUTE). */
  uploadsPerMinute: number;
}

export interface FilePorts {
  storage: FileStorage;
  quota: UploadQuota;
  uploads: UploadRate;
  images: Images;
  rooms: RoomAccess;
}

/** How a file is served. */
export interface Served {
  file: StoredFile;
  /** Inline only for the image types recognized by their bytes. */
  disposition: 'inline' | 'attachment';
}

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/;

/**
 * The type a file is served with. Inline images get the type their bytes show; every other file
 * keeps the type it was sent with when that is a plain media type (it only ever downloads), and
 * is `application/octet-stream` otherwise.
 */
export function servedType(declared: string | undefined, imageType: string | null): string {
  if (imageType) return imageType;
  const type = (declared ?? '').split(';')[0]!.trim().toLowerCase();
  return MEDIA_TYPE.test(type) ? type : 'application/octet-stream';
}

/** A file's name as it is kept: no path, no control or bidi characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.normalize('NFC').split(/[/\\]/).pop()!.trim();
  if (!base || base === '.' || base === '..') throw badRequest('name must be a file name');
  const problem = textProblem(base, { allowLineBreaks: false });
  if (problem)
    throw new AppError(problem, `name must be plain text (${problem.replace('_', ' ')})`);
  return base;
}

export const refOf = (file: StoredFile): FileRef => ({
  id: file.id,
  name: file.name,
  type: file.type,
  size: file.size,
  ...(file.image ? { image: file.image } : {}),
});

const isInline = (type: string) => (INLINE_IMAGE_TYPES as readonly string[]).includes(type);

export class FileRules {
  constructor(
    private readonly ports: FilePorts,
    private readonly limits: FileLimits,
  ) {}

  /**
   * Stores a file a member uploads to a room, counted against their uploads per minute and their
   * daily bytes (at least uploadMinChargeBytes each); an image gets its thumbnail now, so that
   * showing it costs nothing later.
   */
  async upload(
    user: SessionUser,
    roomId: string,
    name: string,
    declaredType: string | undefined,
    bytes: Buffer,
  ): Promise<FileRef> {
    await this.ports.rooms.assertCanUseRoom(user, roomId);
    const fileName = cleanFileName(name);
    if (bytes.length === 0) throw badRequest('the file is empty');
    this.assertSize(bytes.length);
    const started = await this.ports.uploads.consume(user.id);
    if (!started.allowed) {
      throw rateLimited(
        `you are uploading files too fast: at most ${this.limits.uploadsPerMinute} a minute ` +
          `(UPLOADS_PER_USER_PER_MINUTE); wait ${started.retryAfterS} s`,
        started.retryAfterS,
        'upload_count',
      );
    }
    const charged = Math.max(bytes.length, this.limits.uploadMinChargeBytes);
    const counted = await this.ports.quota.consume(user.id, charged);
    if (!counted.allowed) {
      // Counted anyway by the counter: a refused upload must not use up what is left.
      await this.ports.quota.refund(user.id, charged);
      const floor = this.limits.uploadMinChargeBytes;
      throw new AppError(
        'quota_exceeded',
        `you have uploaded ${this.limits.uploadBytesPerDay} bytes today, as many as allowed` +
          (floor > 0 ? ` (a file counts at least ${floor} bytes)` : '') +
          `; more in ${counted.retryAfterS} s`,
        counted.retryAfterS,
        'upload',
      );
    }
    try {
      const image = await this.ports.images.inspect(bytes);
      const thumbnail = image ? await this.ports.images.thumbnail(bytes).catch(() => null) : null;
      const file: StoredFile = {
        id: randomBytes(16).toString('base64url'),
        roomId,
        ownerId: user.id,
        name: fileName,
        type: servedType(declaredType, image && thumbnail ? image.type : null),
        size: bytes.length,
        ...(image && thumbnail ? { image: { width: image.width, height: image.height } } : {}),
        messageId: null,
      };
      await this.ports.storage.put(file, bytes, thumbnail, PENDING_FILE_TTL_S);
      return refOf(file);
    } catch (error) {
      // Not stored: the bytes do not count.
      await this.ports.quota.refund(user.id, charged).catch(() => undefined);
      throw error;
    }
  }

  /** Refuses an upload larger than MAX_UPLOAD_BYTES (also told before the body is read). */
  assertSize(size: number): void {
    if (size > this.limits.maxUploadBytes) {
      throw new AppError(
        'too_large',
        `a file may be at most ${this.limits.maxUploadBytes} bytes (MAX_UPLOAD_BYTES); this one is ${size}`,
      );
    }
  }

  /**
   * A file for someone who can read its room: attached to a message there, or their own upload
   * still waiting. Anything else is not found, as a file of another room would be.
   */
  async find(user: SessionUser, roomId: string, fileId: string): Promise<Served> {
    await this.ports.rooms.assertCanUseRoom(user, roomId);
    const file = await this.ports.storage.describe(fileId);
    if (!file || file.roomId !== roomId || (file.messageId === null && file.ownerId !== user.id)) {
      throw notFound(`room ${roomId} has no file ${fileId}`);
    }
    return { file, disposition: file.image && isInline(file.type) ? 'inline' : 'attachment' };
  }

  async bytesOf(served: Served): Promise<AsyncIterable<Buffer>> {
    const chunks = await this.ports.storage.read(served.file.id);
    if (!chunks) throw notFound(`file ${served.file.id} is gone`);
    return chunks;
  }

  async thumbnailOf(user: SessionUser, roomId: string, fileId: string): Promise<Buffer> {
    const { file } = await this.find(user, roomId, fileId);
    const thumbnail = file.image ? await this.ports.storage.thumbnail(fileId) : null;
    if (!thumbnail) throw notFound(`file ${fileId} has no thumbnail`);
    return thumbnail;
  }

  /**
   * Attaches the author's waiting uploads to their new message, in the order named. Refused, and
   * nothing attached, when one is not theirs, not of this room or gone, or attached already to
   * a send that cannot be this one's retry.
   */
  async attach(
    author: SessionUser,
    roomId: string,
    fileIds: readonly string[],
    messageId: string,
    retry = false,
  ): Promise<FileRef[]> {
    const ids = [...new Set(fileIds)];
    if (ids.length > FILES_PER_MESSAGE_MAX) {
      throw badRequest(`a message may carry at most ${FILES_PER_MESSAGE_MAX} files`);
    }
    const files = await Promise.all(ids.map((id) => this.ports.storage.describe(id)));
    files.forEach((file, i) => {
      if (!file || file.roomId !== roomId || file.ownerId !== author.id) {
        throw notFound(`you have no upload ${ids[i]} waiting in room ${roomId}; upload it again`);
      }
      // One file, one message: deleting that message deletes the file.
      if (file.messageId !== null && !retry) {
        throw new AppError(
          'conflict',
          `upload ${ids[i]} is attached to another message already; upload it again`,
        );
      }
    });
    const refs: FileRef[] = [];
    for (const file of files as StoredFile[]) {
      // Attached already (by this author, in this room): the retry of a send whose ack was
      // lost names the same files, and must reach the messages feature's retry check.
      if (file.messageId === null) await this.ports.storage.attach(file.id, messageId);
      refs.push(refOf(file));
    }
    return refs;
  }

  /**
   * A message was deleted: the files attached to it go with it. A file it only names (a retried
   * send's twin naming the earlier message's files) stays with the message that holds it.
   */
  async deleteAll(messageId: string, files: readonly FileRef[] | undefined): Promise<void> {
    await Promise.all(
      (files ?? []).map(async ({ id }) => {
        const file = await this.ports.storage.describe(id);
        if (file?.messageId === messageId) await this.ports.storage.delete(id);
      }),
    );
  }
}
