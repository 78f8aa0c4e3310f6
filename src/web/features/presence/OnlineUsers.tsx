/** Who is online now; choosing someone opens the private room with them. */
import { memo, useId } from 'react';
import { Avatar } from '../../core/ui/index.js';
import { useOnlineOthers } from './users-slice.js';

export interface OnlineUsersProps {
  onMessage: (userId: string) => void;
}

export const OnlineUsers = memo(function OnlineUsers({ onMessage }: OnlineUsersProps) {
  const users = useOnlineOthers();
  const headingId = useId();
  return (
    <section className="online" aria-labelledby={headingId}>
      <h2 className="sidebar__heading" id={headingId}>
        Online <span className="sidebar__count">{users.length}</span>
      </h2>
      {users.length === 0 ? (
        <p className="online__empty">Nobody else is online.</p>
      ) : (
        <ul className="online__list">
          {users.map((user) => (
            <li key={user.id}>
              <button
                type="button"
                className="online__user"
                onClick={() => onMessage(user.id)}
                title={`Message ${user.username}`}
              >
                <Avatar id={user.id} name={user.username} size="sm" online />
                {/* The name comes from the content: what is seen is what a voice command says. */}
                <span className="visually-hidden">Message </span>
                <bdi className="online__name">{user.username}</bdi>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
});
