/** Who is in the current room, with their presence; choosing someone opens a private chat. */
import type { UserPresence } from '../../../protocol/index.js';
import { countOf } from '../../core/lib/format.js';
import { Avatar, Dialog } from '../../core/ui/index.js';

export interface MembersDialogProps {
  title: string;
  /** null while loading. */
  members: UserPresence[] | null;
  meId: string;
  onMessage: (userId: string) => void;
  /** Given to an administrator only: a Ban action beside each other member. */
  onBan?: (member: UserPresence) => void;
  /** Said once in a live region (after a ban, say). */
  notice?: string | null;
  onClose: () => void;
}

export function MembersDialog({
  title,
  members,
  meId,
  onMessage,
  onBan,
  notice = null,
  onClose,
}: MembersDialogProps) {
  return (
    <Dialog
      label={`Members of ${title}`}
      title={
        <>
          Members of <bdi>{title}</bdi>
        </>
      }
      onClose={onClose}
    >
      {members === null ? (
        <p className="dialog__status" role="status">
          Loading members…
        </p>
      ) : (
        <>
          <p className="dialog__status">
            {countOf(members.length, 'member')}, {members.filter((m) => m.online).length} online
          </p>
          <p className="dialog__status" role="status">
            {notice}
          </p>
          <ul className="members" aria-label="Members">
            {members.map((member) => (
              <li key={member.id} className="members__member">
                <Avatar id={member.id} name={member.username} size="sm" online={member.online} />
                <span className="members__name">
                  <bdi>{member.username}</bdi>
                  {member.id === meId && <span className="members__you"> (you)</span>}
                </span>
                <span className="members__status">{member.online ? 'online' : 'offline'}</span>
                {member.id !== meId && (
                  <button
                    type="button"
                    className="link-button members__message"
                    onClick={() => onMessage(member.id)}
                    aria-label={`Message ${member.username}`}
                  >
                    Message
                  </button>
                )}
                {onBan && member.id !== meId && (
                  <button
                    type="button"
                    className="link-button members__ban"
                    onClick={() => onBan(member)}
                    aria-label={`Ban ${member.username}`}
                  >
                    Ban
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
