/**
 * The files contract: what an upload answers, how a message names its attachments, and the
 * rules both sides apply before a byte is sent (size, name, how many per message). Files are
 * uploaded first (POST /room/:id/files, the raw bytes as the body), then attached by naming
 * their ids in the `message` event; they are served only to those who can read the room.
 */
import { z } from 'zod';

/** Random, 22 characters of base64url (128 bits): not guessable, not sequential. */
export const FILE_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
/** Files one message may carry. */
export const FILES_PER_MESSAGE_MAX = 4;
/** Longest file name kept, in characters. */
export const FILE_NAME_MAX_LENGTH = 200;
/** A thumbnail fits in a square of this many pixels. */
export const THUMBNAIL_MAX_PX = 320;
/**
 * Image types shown inline (and thumbnailed), recognized by their first bytes, never by the name
 * or the type the client claims. Anything else (SVG and HTML included) is only ever downloaded.
 */
export const INLINE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

export const fileIdSchema = z
  .string({ error: 'file id must be text' })
  .regex(FILE_ID_PATTERN, 'file id must be 22 characters of letters, digits, "_" or "-"');

/** A file as a message carries it. */
export const fileRefSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    /** The type it is served with. */
    type: z.string(),
    /** Bytes. */
    size: z.number().int().nonnegative(),
    /** An image shown inline: its size in pixels; it has a thumbnail. */
    image: z.object({ width: z.number().int(), height: z.number().int() }).optional(),
  })
  .meta({ id: 'FileRef', description: 'A file attached to a message.' });
export type FileRef = z.infer<typeof fileRefSchema>;

/** The path params of a file's routes. */
export const fileParamsSchema = z.object({
  id: z.string({ error: 'room id must be text' }).min(1, 'room id must not be empty'),
  fileId: fileIdSchema,
});

/** POST /room/:id/files query: the file's name (the body is the file). */
export const uploadQuerySchema = z.object({
  name: z
    .string({ error: 'name must be the file’s name' })
    .trim()
    .min(1, 'name must not be empty')
    .max(FILE_NAME_MAX_LENGTH, `name must be at most ${FILE_NAME_MAX_LENGTH} characters`),
});

/** The ids of the files a message carries (the `files` of the `message` event). */
export const messageFilesSchema = z
  .array(fileIdSchema)
  .min(1, 'files must name at least one file')
  .max(FILES_PER_MESSAGE_MAX, `a message may carry at most ${FILES_PER_MESSAGE_MAX} files`);

/** Where a file and its thumbnail are served. */
export const fileUrl = (roomId: string, fileId: string) =>
  `/room/${encodeURIComponent(roomId)}/files/${fileId}`;
export const thumbnailUrl = (roomId: string, fileId: string) =>
  `${fileUrl(roomId, fileId)}/thumbnail`;
