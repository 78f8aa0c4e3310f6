/** The signed-in user at the top of the sidebar, with the connection's status. */
import { Avatar } from '../../core/ui/index.js';
import { useMe } from '../auth/index.js';
import { connectionLabel } from './ConnectionBanner.js';
import { useConnectionStatus } from './connection-slice.js';

export function MyStatus() {
  const me = useMe();
  const connection = useConnectionStatus();
  return (
    <>
      <Avatar id={me.id} name={me.username} online={connection === 'online'} />
      <div className="sidebar__who">
        <bdi className="sidebar__name">{me.username}</bdi>
        <span className={`sidebar__status sidebar__status--${connection}`}>
          {connectionLabel(connection)}
        </span>
      </div>
    </>
  );
}
