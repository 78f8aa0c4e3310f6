import { useCallback, useEffect } from 'react';
import { useReadsActions } from './reads-context.js';

/**
 * Reading the open room: `seenBottom` marks it read when its newest message is in view on a
 * visible page; coming back to a tab where the room was open all along reads what arrived.
 */
export function useMarkRead(roomId: string): { seenBottom: () => void } {
  const reads = useReadsActions();
  const seenBottom = useCallback(() => {
    if (document.visibilityState === 'visible') reads.markRead(roomId);
  }, [reads, roomId]);

  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') reads.markRead(roomId);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [reads, roomId]);

  return { seenBottom };
}
