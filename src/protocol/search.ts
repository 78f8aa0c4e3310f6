/**
 * The search contract: what GET /search takes and answers. Only the rooms the caller can read are
 * searched; hits come newest first, a page at a time, with a cursor for the next page.
 */
import { z } from 'zod';
import { chatMessageSchema } from './models.js';
import { roomIdSchema } from './room-ids.js';
import { SEARCH_QUERY_MAX_LENGTH } from './search-terms.js';

/** Hits per page when the client does not say. */
export const SEARCH_PAGE_SIZE_DEFAULT = 20;
/** Most hits one page may ask for. */
export const SEARCH_PAGE_SIZE_MAX = 50;

const MESSAGE_ID_PATTERN = /^[0-9]{1,17}-[A-Za-z0-9]{1,32}$/;

/** GET /search query. */
export const searchQuerySchema = z.object({
  q: z
    .string({ error: 'q must be text' })
    .trim()
    .min(1, 'q must not be empty')
    .max(SEARCH_QUERY_MAX_LENGTH, `q must be at most ${SEARCH_QUERY_MAX_LENGTH} characters`),
  roomId: roomIdSchema.optional(),
  before: z
    .string({ error: 'before must be a cursor from a previous page' })
    .regex(MESSAGE_ID_PATTERN, 'before must be a cursor from a previous page')
    .optional(),
  size: z
    .codec(
      z.string({ error: 'size must be a number' }).regex(/^[0-9]{1,3}$/, 'size must be a number'),
      z
        .number()
        .int()
        .min(1, `size must be between 1 and ${SEARCH_PAGE_SIZE_MAX}`)
        .max(SEARCH_PAGE_SIZE_MAX, `size must be between 1 and ${SEARCH_PAGE_SIZE_MAX}`),
      { decode: Number, encode: String },
    )
    .optional(),
});

/** One message that matched. */
export const searchHitSchema = z
  .object({ message: chatMessageSchema })
  .meta({ id: 'SearchHit', description: 'A message that matched every word of the query.' });
export type SearchHit = z.infer<typeof searchHitSchema>;

/** A page of hits. */
export const searchPageSchema = z
  .object({
    hits: z.array(searchHitSchema),
    /** The words searched for, as the index folds them: what the client highlights. */
    terms: z.array(z.string()),
    /** `before` for the next page; null when there is nothing older to find. */
    next: z.string().nullable(),
  })
  .meta({ id: 'SearchPage', description: 'Hits newest first, and the cursor of the next page.' });
export type SearchPage = z.infer<typeof searchPageSchema>;
