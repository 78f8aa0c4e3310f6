/**
 * Message ids are `<microseconds>-<suffix>` and their numeric part is the message's score in its
 * room, so ordering by id is ordering by send time. Lists are kept sorted and free of duplicates
 * by id, whatever order pages, live events and catch-up answers arrive in.
 */
import type { ChatMessage } from '../../../protocol/index.js';

const ID_PATTERN = /^([0-9]+)-(.*)$/;

export function compareMessageIds(a: string, b: string): number {
  const matchA = ID_PATTERN.exec(a);
  const matchB = ID_PATTERN.exec(b);
  if (matchA && matchB) {
    const [, microsA = '', suffixA = ''] = matchA;
    const [, microsB = '', suffixB = ''] = matchB;
    // Compare the digits as text (same length first): no precision loss on long numbers.
    if (microsA.length !== microsB.length) return microsA.length - microsB.length;
    if (microsA !== microsB) return microsA < microsB ? -1 : 1;
    return suffixA < suffixB ? -1 : suffixA > suffixB ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

export const compareMessages = (a: ChatMessage, b: ChatMessage) => compareMessageIds(a.id, b.id);

/**
 * Merges messages into a sorted list, by id: a known id is replaced (an edit), a new one inserted
 * in place. Returns the same array when nothing changed, so React can skip work.
 */
export function mergeMessages(
  existing: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
): { messages: ChatMessage[]; added: ChatMessage[] } {
  if (incoming.length === 0) return { messages: existing as ChatMessage[], added: [] };
  const byId = new Map(existing.map((message) => [message.id, message]));
  const added: ChatMessage[] = [];
  let changed = false;
  for (const message of incoming) {
    const known = byId.get(message.id);
    if (!known) {
      added.push(message);
      changed = true;
    } else if (
      known.message !== message.message ||
      known.edited !== message.edited ||
      known.deleted !== message.deleted
    ) {
      changed = true;
    } else {
      continue;
    }
    byId.set(message.id, message);
  }
  if (!changed) return { messages: existing as ChatMessage[], added };
  return { messages: [...byId.values()].sort(compareMessages), added: added.sort(compareMessages) };
}
