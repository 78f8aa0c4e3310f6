/** The open room's bell in its header: mute or unmute it. */
import { useState } from 'react';
import { BellIcon, BellOffIcon, IconButton } from '../../core/ui/index.js';
import { useNotificationsActions } from './notifications-context.js';
import { useIsMuted } from './notifications-slice.js';

export function MuteButton({ roomId }: { roomId: string }) {
  const notifications = useNotificationsActions();
  const muted = useIsMuted(roomId);
  const [failed, setFailed] = useState(false);
  return (
    <>
      <IconButton
        label={muted ? 'Unmute room' : 'Mute room'}
        className={`mute-button${muted ? ' mute-button--muted' : ''}`}
        aria-pressed={muted}
        onClick={() => {
          setFailed(false);
          notifications.setMuted(roomId, !muted).catch(() => setFailed(true));
        }}
      >
        {muted ? <BellOffIcon /> : <BellIcon />}
      </IconButton>
      {failed && (
        <span className="visually-hidden" role="alert">
          The room could not be {muted ? 'unmuted' : 'muted'}. Try again.
        </span>
      )}
    </>
  );
}
