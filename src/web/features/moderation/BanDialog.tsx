/**
 * An administrator's "Ban this user?": confirming ends the user's sessions on every device at
 * once and refuses their sign-in until the ban is lifted (`npm run admin -- unban <name>`).
 */
import { ConfirmDialog } from '../../core/ui/index.js';
import { useModerationActions } from './moderation-context.js';

export interface BanDialogProps {
  user: { id: string; username: string };
  /** After the ban took effect. */
  onBanned: () => void;
  onClose: () => void;
}

export function BanDialog({ user, onBanned, onClose }: BanDialogProps) {
  const moderation = useModerationActions();
  return (
    <ConfirmDialog
      label={`Ban ${user.username}?`}
      title={
        <>
          Ban <bdi>{user.username}</bdi>?
        </>
      }
      text="They are signed out everywhere at once and cannot sign in again until the ban is lifted."
      confirmLabel="Ban"
      onConfirm={async () => {
        await moderation.ban(user.id);
        onBanned();
      }}
      onClose={onClose}
    />
  );
}
