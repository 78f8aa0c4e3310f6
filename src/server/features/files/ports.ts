/**
 * What the files feature needs: somewhere to keep bytes (the storage interface: Redis today, an
 * object store tomorrow), a per-user byte quota and upload count, image handling, and from the rooms feature,
 * who may use a room.
 */
import type { SessionUser } from '../../../protocol/models.js';

/** A file as it is kept. */
export interface StoredFile {
  id: string;
  roomId: string;
  ownerId: string;
  name: string;
  /** The type it is served with. */
  type: string;
  size: number;
  /** Set for an inline image (it has a thumbnail). */
  image?: { width: number; height: number };
  /** The message it is attached to; null while it waits to be attached. */
  messageId: string | null;
}

/**
 * Where files live. Every method is about one file, so an implementation may keep each file
 * wherever it likes (one Redis slot per file; an object store's key per file).
 */
export interface FileStorage {
  /**
   * Keeps a file (its bytes, and a thumbnail for images), waiting to be attached: it is dropped
   * after `pendingTtlS` unless attach() comes first.
   */
  put(
    file: StoredFile,
    bytes: Buffer,
    thumbnail: Buffer | null,
    pendingTtlS: number,
  ): Promise<void>;
  describe(fileId: string): Promise<StoredFile | null>;
  /** Attaches a waiting file to a message, for good; false when it is attached already or gone. */
  attach(fileId: string, messageId: string): Promise<boolean>;
  /** The bytes, a chunk at a time; null when the file is gone. */
  read(fileId: string): Promise<AsyncIterable<Buffer> | null>;
  thumbnail(fileId: string): Promise<Buffer | null>;
  delete(fileId: string): Promise<void>;
}

/** Bytes uploaded per user, counted where every instance sees them. */
export interface UploadQuota {
  consume(
    userId: string,
    bytes: number,
  ): Promise<{ allowed: true } | { allowed: false; retryAfterS: number }>;
  refund(userId: string, bytes: number): Promise<void>;
}

/** Uploads per user, counted where every instance sees them, whatever their size. */
export interface UploadRate {
  consume(userId: string): Promise<{ allowed: true } | { allowed: false; retryAfterS: number }>;
}

/** What an image is, from its bytes. */
export interface ImageInfo {
  type: string;
  width: number;
  height: number;
}

/** Recognizes inline images by their bytes and makes their thumbnails. */
export interface Images {
  /** The image's type and size when it is one of the inline types; null otherwise. */
  inspect(bytes: Buffer): Promise<ImageInfo | null>;
  thumbnail(bytes: Buffer): Promise<Buffer>;
}

/** Rooms (the rooms feature). */
export interface RoomAccess {
  assertCanUseRoom(user: SessionUser, roomId: string): Promise<void>;
}
