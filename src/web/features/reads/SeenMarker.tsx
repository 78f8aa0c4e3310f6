/** "Seen" under the newest of the reader's messages that the other member of a private room read. */
import { useSeenHere } from './receipts-slice.js';

export interface SeenMarkerProps {
  roomId: string;
  messageId: string;
  own: boolean;
}

export function SeenMarker({ roomId, messageId, own }: SeenMarkerProps) {
  const seen = useSeenHere(roomId, messageId);
  if (!own || !seen) return null;
  return <span className="seen-marker">Seen</span>;
}
