/** Says when the chat is not live: connecting, offline (reconnecting), and briefly "back online". */
import { useEffect, useState } from 'react';
import type { ConnectionStatus } from './connection-slice.js';

/** How long "Back online" stays up (ms). */
export const BACK_ONLINE_SHOWN_MS = 4000;

export interface ConnectionBannerProps {
  status: ConnectionStatus;
  /** When the connection came back (ms since epoch), or null. */
  reconnectedAt: number | null;
}

export function ConnectionBanner({ status, reconnectedAt }: ConnectionBannerProps) {
  const [hiddenFor, setHiddenFor] = useState<number | null>(null);

  useEffect(() => {
    if (reconnectedAt === null) return;
    const wait = reconnectedAt + BACK_ONLINE_SHOWN_MS - Date.now();
    const timer = setTimeout(() => setHiddenFor(reconnectedAt), Math.max(0, wait));
    return () => clearTimeout(timer);
  }, [reconnectedAt]);

  let content: { tone: string; text: string } | null = null;
  if (status === 'connecting') content = { tone: 'info', text: 'Connecting…' };
  else if (status === 'offline') {
    content = { tone: 'warning', text: 'You are offline. Reconnecting…' };
  } else if (reconnectedAt !== null && hiddenFor !== reconnectedAt) {
    content = { tone: 'success', text: 'Back online' };
  }

  // The live region stays in the page so screen readers announce each change.
  return (
    <div className="connection" role="status" aria-live="polite">
      {content && (
        <p className={`connection__banner connection__banner--${content.tone}`}>{content.text}</p>
      )}
    </div>
  );
}

/** A short word for the sidebar, next to the user's name. */
export function connectionLabel(status: ConnectionStatus): string {
  return status === 'online' ? 'Online' : status === 'offline' ? 'Offline' : 'Connecting…';
}
