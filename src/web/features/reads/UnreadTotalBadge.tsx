import { useUnreadTotal } from './unread-slice.js';

/** The number of unread messages in all rooms, on the button that shows the rooms (phones). */
export function UnreadTotalBadge() {
  const total = useUnreadTotal();
  return total > 0 ? <span className="conversation__menu-badge">{total}</span> : null;
}
