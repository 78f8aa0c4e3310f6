/**
 * The notification settings, from a button by the user's name: desktop notifications (asking the
 * browser when the user turns them on), the sound, and the muted rooms.
 */
import { useState } from 'react';
import { Dialog, IconButton, SettingsIcon } from '../../core/ui/index.js';
import { useSelector } from '../../core/store/index.js';
import type { WithSession } from '../auth/index.js';
import type { WithTimelines } from '../messages/index.js';
import type { WithUsers } from '../presence/index.js';
import { selectRoomHeading, type WithRooms } from '../rooms/index.js';
import { TurnOnButton } from './NotificationOffer.js';
import { useNotificationsActions } from './notifications-context.js';
import { useMutedRoomIds, useNotificationSettings } from './notifications-slice.js';

export function NotificationSettingsButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <IconButton label="Notification settings" onClick={() => setOpen(true)}>
        <SettingsIcon />
      </IconButton>
      {open && <NotificationSettingsDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function NotificationSettingsDialog({ onClose }: { onClose: () => void }) {
  const notifications = useNotificationsActions();
  const { desktop, sound, access } = useNotificationSettings();
  return (
    <Dialog label="Notifications" onClose={onClose}>
      <p className="dialog__text">
        For mentions of you and private messages, in rooms you have not muted.
      </p>
      <div className="settings">
        {access === 'granted' ? (
          <label className="settings__option">
            <input
              type="checkbox"
              checked={desktop}
              onChange={(event) => notifications.setDesktop(event.target.checked)}
            />
            <span>Show desktop notifications while the chat is in the background</span>
          </label>
        ) : access === 'default' ? (
          <div className="settings__option">
            <span>Desktop notifications are off.</span>
            <TurnOnButton />
          </div>
        ) : (
          <p className="settings__note">
            {access === 'denied'
              ? 'This browser blocks notifications from the chat: allow them in its site settings.'
              : 'This browser cannot show notifications.'}
          </p>
        )}
        <label className="settings__option">
          <input
            type="checkbox"
            checked={sound}
            onChange={(event) => notifications.setSound(event.target.checked)}
          />
          <span>Play a sound</span>
        </label>
      </div>
      <MutedRooms />
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

/** The muted rooms, each with a way to unmute it (the bell in a room's header does the same). */
function MutedRooms() {
  const notifications = useNotificationsActions();
  const mutedIds = useMutedRoomIds();
  const titles = useSelector(
    (state: WithSession & WithUsers & WithTimelines & WithRooms) =>
      mutedIds
        .filter((roomId) => state.rooms[roomId])
        .map((roomId) => [roomId, selectRoomHeading(state, roomId).title] as const),
    (a, b) =>
      a.length === b.length &&
      a.every(([roomId, title], index) => roomId === b[index]?.[0] && title === b[index]?.[1]),
  );
  return (
    <section className="settings__muted" aria-label="Muted rooms">
      <h3 className="settings__heading">Muted rooms</h3>
      {titles.length === 0 ? (
        <p className="settings__note">None. Mute a room with the bell in its header.</p>
      ) : (
        <ul className="settings__rooms">
          {titles.map(([roomId, title]) => (
            <li key={roomId}>
              <bdi>{title}</bdi>
              <button
                type="button"
                className="link-button"
                onClick={() => void notifications.setMuted(roomId, false)}
              >
                Unmute <span className="visually-hidden">{title}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
