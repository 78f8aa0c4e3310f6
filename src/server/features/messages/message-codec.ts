/**
 * Turning sorted-set members into messages and back. Members written by this server are JSON with
 * the seed's fields plus an `id`. Members written by the seed's servers vary: HTML-escaped text,
 * float or millisecond dates, numeric `from`, and in some ports capitalised keys. They are all read
 * into the same shape.
 */
import { fileRefSchema, type FileRef } from '../../../protocol/files.js';
import type { ChatMessage } from '../../../protocol/models.js';
import { derivedMessageId } from '../../kernel/message-ids.js';

export interface StoredMessage {
  raw: string;
  score: number;
}

export const encodeMessage = (message: ChatMessage) => JSON.stringify(message);

const HTML_ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#x27;': "'",
  '&#x2F;': '/',
  '&#47;': '/',
};

/** Undoes the escaping the seed's servers applied before storing text. */
export const unescapeSeedHtml = (text: string) =>
  text.replace(
    /&(amp|lt|gt|quot|#39|#x27|#x2F|#47);/g,
    (entity) => HTML_ENTITIES[entity] ?? entity,
  );

function field(record: Record<string, unknown>, name: string): unknown {
  if (name in record) return record[name];
  const capitalised = name.charAt(0).toUpperCase() + name.slice(1);
  return record[capitalised];
}

/** Reads one member of `room:{roomId}`; null when it is not a message at all. */
export function decodeMessage(stored: StoredMessage, roomId: string): ChatMessage | null {
  let record: unknown;
  try {
    record = JSON.parse(stored.raw);
  } catch {
    return null;
  }
  if (typeof record !== 'object' || record === null) return null;
  const r = record as Record<string, unknown>;
  const text = field(r, 'message');
  const from = field(r, 'from');
  if (typeof text !== 'string' || (typeof from !== 'string' && typeof from !== 'number'))
    return null;

  const ownId = typeof r.id === 'string' ? r.id : null;
  const rawDate = Number(field(r, 'date'));
  let date = Number.isFinite(rawDate) ? rawDate : stored.score;
  if (date > 1e11) date /= 1000; // some ports store milliseconds

  const message: ChatMessage = {
    id: ownId ?? derivedMessageId(stored.score, stored.raw),
    from: String(from),
    date: Math.floor(date),
    // Only the seed's servers escape; our own members hold the text as typed.
    message: ownId ? text : unescapeSeedHtml(text),
    // The key the member lives in is the truth; seed ports have stored stray roomIds.
    roomId,
  };
  if (r.edited === true) message.edited = true;
  if (r.deleted === true) message.deleted = true;
  if (Array.isArray(r.mentions) && r.mentions.every((id) => typeof id === 'string')) {
    message.mentions = r.mentions as string[];
  }
  if (typeof r.replyTo === 'string') message.replyTo = r.replyTo;
  if (Array.isArray(r.files)) {
    const files = r.files.filter((file) => fileRefSchema.safeParse(file).success) as FileRef[];
    if (files.length > 0) message.files = files;
  }
  return message;
}

export function decodeMessages(stored: StoredMessage[], roomId: string): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const item of stored) {
    const message = decodeMessage(item, roomId);
    if (message) messages.push(message);
  }
  return messages;
}
