/** Messages for the client's unit tests: ids that sort like the server's, one microsecond apart. */
import type { ChatMessage } from '../../protocol/index.js';
import type { OutgoingMessage } from '../features/messages/index.js';

let clock = 1_700_000_000_000_000;

/** A stored message, newer than every one made before it. */
export function testMessage(from: string, text: string, roomId = '0'): ChatMessage {
  clock += 1000;
  return {
    id: `${clock}-t${clock % 997}`,
    from,
    date: Math.floor(clock / 1e6),
    message: text,
    roomId,
  };
}

/** A message typed in General and waiting for the server's ack. */
export function pendingMessage(text: string, localId = 'local-1'): OutgoingMessage {
  return { localId, clientId: `client-${localId}`, roomId: '0', text, date: 1, status: 'pending' };
}
