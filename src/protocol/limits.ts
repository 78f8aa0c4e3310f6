/** Input limits enforced by the server and mirrored by the web client's forms. */

export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{1,32}$/;
export const USERNAME_MAX_LENGTH = 32;
/** bcrypt only reads the first 72 bytes of a password; longer ones would be silently truncated. */
export const PASSWORD_MAX_BYTES = 72;
export const MESSAGE_MAX_LENGTH = 4000;
/** Largest HTTP request body accepted, in bytes. */
export const BODY_LIMIT_BYTES = 64 * 1024;
/** Largest page of messages one request may ask for. */
export const PAGE_SIZE_MAX = 100;
/** Page size when the client does not name one (the seed client asks for 15). */
export const PAGE_SIZE_DEFAULT = 15;
/** Rooms per page of the directory (GET /rooms) when the client does not say, and at most. */
export const DIRECTORY_PAGE_SIZE_DEFAULT = 20;
export const DIRECTORY_PAGE_SIZE_MAX = 50;
/** Group room names: 1–40 characters, unique ignoring case. */
export const ROOM_NAME_MAX_LENGTH = 40;
/** A client announces typing at most once per this interval; the server drops extra notices. */
export const TYPING_THROTTLE_MS = 2000;
/** A typing notice that is not renewed expires after this long on the receiving side. */
export const TYPING_EXPIRY_MS = 5000;
/** A client's own id for a message it sends: a UUID, a nanoid or the like. */
export const CLIENT_MESSAGE_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

// --- reactions ---------------------------------------------------------------------------------
/** Different emoji one message may carry; a new one past this is refused (`limit_reached`). */
export const REACTIONS_PER_MESSAGE_MAX = 20;
/** An emoji with its modifiers and joiners, in UTF-16 code units. */
export const REACTION_EMOJI_MAX_LENGTH = 32;
/** Messages whose reactions one request may ask for. */
export const REACTION_IDS_MAX = 100;

// --- threads -----------------------------------------------------------------------------------
/** Replies one page of a thread holds at most (GET /room/:id/thread/:messageId). */
export const THREAD_PAGE_SIZE_MAX = 100;
/** Replies per page when the client does not name a size. */
export const THREAD_PAGE_SIZE_DEFAULT = 50;
