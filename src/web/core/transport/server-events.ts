/**
 * What the server sends, checked before any feature sees it, with the schemas the server sends it
 * by (protocol/events.ts). Types do not validate: a malformed event is dropped here (or, in a
 * batch, the malformed entries) rather than breaking the screen. Each payload keeps only the
 * fields its schema knows.
 */
import {
  chatMessageSchema,
  serverEvents,
  userPresenceSchema,
  type ChatMessage,
  type ServerEventName,
  type ServerEventPayload,
} from '../../../protocol/index.js';

export type ServerEvent = ServerEventName;

/** The payload each server→client event hands to its listeners once checked. */
export type ServerEventPayloads = { [E in ServerEvent]: ServerEventPayload<E> };

/** A message as the server sends it, or null when it is not one. */
export function chatMessageOf(value: unknown): ChatMessage | null {
  const checked = chatMessageSchema.safeParse(value);
  return checked.success ? checked.data : null;
}

/** The checked payload of a server event, or null to drop the event. */
export function parseServerEvent<E extends ServerEvent>(
  event: E,
  raw: unknown,
): ServerEventPayloads[E] | null {
  if (event === 'message.batch') {
    // One malformed entry must not cost the others: keep the well-formed ones, oldest first.
    if (!Array.isArray(raw)) return null;
    const messages = raw.map(chatMessageOf).filter((message) => message !== null);
    return messages as ServerEventPayloads[E];
  }
  if (event === 'user.presence') {
    if (!Array.isArray(raw)) return null;
    const users = raw.flatMap((entry) => {
      const checked = userPresenceSchema.safeParse(entry);
      return checked.success ? [checked.data] : [];
    });
    return users as ServerEventPayloads[E];
  }
  const checked = serverEvents[event].payload.safeParse(raw);
  return checked.success ? (checked.data as ServerEventPayloads[E]) : null;
}
