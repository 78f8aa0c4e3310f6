import { ConnectionBanner } from './ConnectionBanner.js';
import { useConnectionStatus, useReconnectedAt } from './connection-slice.js';

/** The banner for the chat's own connection. */
export function ConnectionStatusBanner() {
  return <ConnectionBanner status={useConnectionStatus()} reconnectedAt={useReconnectedAt()} />;
}
