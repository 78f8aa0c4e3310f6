/**
 * Validation of everything that arrives from a client: the HTTP route table (routes.ts) and the
 * socket events (events.ts) name these schemas, the server checks every request and event with
 * them, and the web client types what it sends from them. TypeScript types do not validate; these
 * schemas do, and their messages name the rule.
 */
import { z } from 'zod';
import { messageFilesSchema } from './files.js';
import {
  CLIENT_MESSAGE_ID_PATTERN,
  DIRECTORY_PAGE_SIZE_MAX,
  ROOM_NAME_MAX_LENGTH,
  MESSAGE_MAX_LENGTH,
  PAGE_SIZE_MAX,
  PASSWORD_MAX_BYTES,
  THREAD_PAGE_SIZE_MAX,
  REACTION_EMOJI_MAX_LENGTH,
  REACTION_IDS_MAX,
  USERNAME_PATTERN,
} from './limits.js';
import { roomIdSchema } from './room-ids.js';

// TextEncoder rather than Buffer: the web client imports these schemas too.
const utf8 = new TextEncoder();

const username = z
  .string({ error: 'username must be a string' })
  .regex(USERNAME_PATTERN, 'username must be 1–32 characters of letters, digits, ".", "_" or "-"');

/** A password as sign-in, registration and the operator's reset take it. */
export const passwordSchema = z
  .string({ error: 'password must be a string' })
  .min(1, 'password must not be empty')
  .refine((value) => utf8.encode(value).byteLength <= PASSWORD_MAX_BYTES, {
    message: `password must be at most ${PASSWORD_MAX_BYTES} bytes`,
  });

const USER_ID_PATTERN = /^[1-9][0-9]{0,15}$/;
const MESSAGE_ID_PATTERN = /^[0-9]{1,17}-[A-Za-z0-9]{1,32}$/;

/** A user id as the seed writes them: a positive decimal integer, sent as a string or a number. */
const userId = z
  .union([z.string(), z.number()], { error: 'user id must be a string or a number' })
  .transform((value) => String(value))
  .refine((value) => USER_ID_PATTERN.test(value), {
    message: 'user id must be a positive integer',
  });

const messageText = z
  .string({ error: 'message must be a string' })
  .refine((text) => text.trim().length > 0, { message: 'message must not be empty' })
  .refine((text) => text.length <= MESSAGE_MAX_LENGTH, {
    message: `message must be at most ${MESSAGE_MAX_LENGTH} characters`,
  });

const messageId = z
  .string({ error: 'id must be a message id' })
  .regex(MESSAGE_ID_PATTERN, 'id must be a message id');

/** POST /login */
export const loginBodySchema = z.object(
  { username, password: passwordSchema },
  { error: 'body must be a JSON object' },
);
export type LoginBody = z.infer<typeof loginBodySchema>;

/** POST /room: open the private room between two users, one of whom is the caller. */
export const createPrivateRoomBodySchema = z.object(
  { user1: userId, user2: userId },
  { error: 'body must be a JSON object' },
);
export type CreatePrivateRoomBody = z.input<typeof createPrivateRoomBodySchema>;

/**
 * A whole number in a query string: text on the wire, a number for the code on each side (a zod
 * codec, so the web client encodes what the server decodes).
 */
const queryInteger = (name: string, range?: { min: number; max: number }) => {
  let number = z.number().int();
  if (range) {
    const message = `${name} must be between ${range.min} and ${range.max}`;
    number = number.min(range.min, message).max(range.max, message);
  }
  return z.codec(
    z
      .string({ error: `${name} must be a number` })
      .regex(/^[0-9]{1,9}$/, `${name} must be a non-negative integer`),
    number,
    { decode: Number, encode: String },
  );
};

/** GET /room/:id/messages query: a page counted from the newest (`offset`, `size`), or the
 * messages after a known one (`after`), oldest first, for catching up after a reconnect. Absent,
 * `offset` is 0 and `size` PAGE_SIZE_DEFAULT (limits.ts). */
export const messagesQuerySchema = z.object({
  offset: queryInteger('offset').optional(),
  size: queryInteger('size', { min: 1, max: PAGE_SIZE_MAX }).optional(),
  after: z
    .string({ error: 'after must be a message id' })
    .regex(MESSAGE_ID_PATTERN, 'after must be a message id')
    .optional(),
  /** The messages around this one (half before, half after, itself included), newest first. */
  around: z
    .string({ error: 'around must be a message id' })
    .regex(MESSAGE_ID_PATTERN, 'around must be a message id')
    .optional(),
});

const userIdText = z
  .string({ error: 'user id must be a positive integer' })
  .regex(USER_ID_PATTERN, 'user id must be a positive integer');

/** GET /users?ids[]=1&ids[]=2: one id arrives as a string, several as a list; the code sees a list. */
export const usersQuerySchema = z.object({
  'ids[]': z.codec(
    z.union([userIdText, z.array(userIdText).max(500, 'at most 500 ids at once')], {
      error: 'ids[] must list user ids',
    }),
    z.array(z.string()),
    { decode: (ids) => (Array.isArray(ids) ? ids : [ids]), encode: (ids) => ids },
  ),
});

/**
 * A client's own id for one message it sends (a UUID or nanoid, say), kept across its retries:
 * a retry with the same id after a lost acknowledgement stores and delivers nothing twice.
 */
const clientMessageId = z
  .string({ error: 'clientId must be a string' })
  .regex(
    CLIENT_MESSAGE_ID_PATTERN,
    'clientId must be 8–64 characters of letters, digits, "_" or "-"',
  );

/**
 * Socket.IO `message`: the seed client also sends `from` and `date`; both are ignored. The seed
 * client sends no `clientId`.
 */
export const sendMessagePayloadSchema = z.object(
  {
    roomId: roomIdSchema,
    message: messageText,
    clientId: clientMessageId.optional(),
    /** A reply: the message replied to, in the same room (the seed's client never sends it). */
    replyTo: z
      .string({ error: 'replyTo must be a message id' })
      .regex(MESSAGE_ID_PATTERN, 'replyTo must be a message id')
      .optional(),
    /** Files uploaded before (POST /room/:id/files) to attach (the seed's client never sends it). */
    files: messageFilesSchema.optional(),
  },
  { error: 'payload must be an object with roomId and message' },
);
export type SendMessagePayload = z.input<typeof sendMessagePayloadSchema>;

/** POST /rooms: create a group room. */
export const createGroupRoomBodySchema = z.object(
  {
    name: z
      .string({ error: 'name must be a string' })
      .transform((name) => name.trim())
      .refine((name) => name.length >= 1 && name.length <= ROOM_NAME_MAX_LENGTH, {
        message: `name must be 1–${ROOM_NAME_MAX_LENGTH} characters`,
      }),
    visibility: z
      .enum(['public', 'private'], { error: 'visibility must be "public" or "private"' })
      .optional()
      .transform((value) => value ?? 'public'),
  },
  { error: 'body must be a JSON object' },
);
export type CreateGroupRoomBody = z.input<typeof createGroupRoomBodySchema>;

/**
 * GET /rooms?search=: the directory of public rooms (absent: all of them), a page at a time:
 * `after` is the `next` of the previous page of the same search.
 */
export const directoryQuerySchema = z.object({
  search: z
    .string({ error: 'search must be text' })
    .max(ROOM_NAME_MAX_LENGTH, `search must be at most ${ROOM_NAME_MAX_LENGTH} characters`)
    .trim()
    .optional(),
  after: z
    .string({ error: 'after must be the cursor of a previous page' })
    .regex(/^[A-Za-z0-9_-]{1,400}$/, 'after must be the cursor of a previous page')
    .optional(),
  size: queryInteger('size', { min: 1, max: DIRECTORY_PAGE_SIZE_MAX }).optional(),
});

/** POST /room/:id/invite */
export const inviteBodySchema = z.object({ userId }, { error: 'body must be a JSON object' });
export type InviteBody = z.input<typeof inviteBodySchema>;

/** POST /room/:id/read: move the caller's read marker. */
export const readMarkerBodySchema = z.object(
  { messageId: messageId.describe('messageId') },
  { error: 'body must be a JSON object' },
);

/** Socket.IO `message.edit` */
export const editMessagePayloadSchema = z.object(
  { roomId: roomIdSchema, id: messageId, message: messageText },
  { error: 'payload must be an object with roomId, id and message' },
);
export type EditMessagePayload = z.input<typeof editMessagePayloadSchema>;

/** Socket.IO `message.delete` */
export const deleteMessagePayloadSchema = z.object(
  { roomId: roomIdSchema, id: messageId },
  { error: 'payload must be an object with roomId and id' },
);
export type DeleteMessagePayload = z.input<typeof deleteMessagePayloadSchema>;

/** Socket.IO `typing` */
export const typingPayloadSchema = z.object(
  { roomId: roomIdSchema, typing: z.boolean({ error: 'typing must be true or false' }) },
  { error: 'payload must be an object with roomId and typing' },
);
export type TypingPayload = z.input<typeof typingPayloadSchema>;

/** The path params of the routes under /room/:id. */
export const roomParamsSchema = z.object({ id: roomIdSchema });

/** `/users/:id/...`: the user a route acts on. */
export const userParamsSchema = z.object({ id: userId });

/** One broken rule, as zod reports it (`path` leads to the field, empty for the whole input). */
export interface ValidationIssue {
  path: readonly PropertyKey[];
  message: string;
}

/** Turns a validation failure into one sentence that names every broken rule. */
export function describeValidationError(issues: readonly ValidationIssue[]): string {
  return issues
    .map((issue) => {
      const field = issue.path.map(String).join('.');
      // Messages written above already name their field; zod's built-in ones do not.
      return field && !issue.message.startsWith(field)
        ? `${field}: ${issue.message}`
        : issue.message;
    })
    .join('; ');
}

/** POST /me/password: the current password proves it is the owner, not a borrowed session. */
export const changePasswordBodySchema = z.object(
  {
    current: z
      .string({ error: 'current must be a string' })
      .min(1, 'current must not be empty (the password in use now)'),
    password: passwordSchema,
  },
  { error: 'body must be a JSON object' },
);
export type ChangePasswordBody = z.infer<typeof changePasswordBodySchema>;

// --- reactions ---------------------------------------------------------------------------------

/**
 * One emoji, as a picker or a keyboard writes it: pictographs with their variation selectors,
 * skin tones, joiners and flags; never letters, digits or markup.
 */
const EMOJI_PATTERN =
  /^(?=.*(?:\p{Extended_Pictographic}|\p{Regional_Indicator}))(?:\p{Extended_Pictographic}|\p{Emoji_Component}|\u200d|\ufe0f|\u20e3)+$/u;

export const reactionEmojiSchema = z
  .string({ error: 'emoji must be a string' })
  .max(REACTION_EMOJI_MAX_LENGTH, `emoji must be at most ${REACTION_EMOJI_MAX_LENGTH} characters`)
  .regex(EMOJI_PATTERN, 'emoji must be one emoji');

/** Socket.IO `reaction.add` and `reaction.remove` */
export const reactionPayloadSchema = z.object(
  { roomId: roomIdSchema, messageId: messageId.describe('messageId'), emoji: reactionEmojiSchema },
  { error: 'payload must be an object with roomId, messageId and emoji' },
);
export type ReactionPayload = z.input<typeof reactionPayloadSchema>;

const messageIdText = z
  .string({ error: 'ids[] must list message ids' })
  .regex(MESSAGE_ID_PATTERN, 'ids[] must list message ids');

/** GET /room/:id/reactions?ids[]=a&ids[]=b: one id arrives as a string, several as a list. */
export const reactionsQuerySchema = z.object({
  'ids[]': z.codec(
    z.union(
      [
        messageIdText,
        z.array(messageIdText).max(REACTION_IDS_MAX, `at most ${REACTION_IDS_MAX} ids at once`),
      ],
      { error: 'ids[] must list message ids' },
    ),
    z.array(z.string()),
    { decode: (ids) => (Array.isArray(ids) ? ids : [ids]), encode: (ids) => ids },
  ),
});

// --- threads -----------------------------------------------------------------------------------

/** The path params of GET /room/:id/thread/:messageId. */
export const threadParamsSchema = z.object({
  id: roomIdSchema,
  messageId: messageId.describe('messageId'),
});

/** GET /room/:id/thread/:messageId query: the newest replies, or those before a known one. */
export const threadQuerySchema = z.object({
  before: z
    .string({ error: 'before must be a message id' })
    .regex(MESSAGE_ID_PATTERN, 'before must be a message id')
    .optional(),
  size: queryInteger('size', { min: 1, max: THREAD_PAGE_SIZE_MAX }).optional(),
});
