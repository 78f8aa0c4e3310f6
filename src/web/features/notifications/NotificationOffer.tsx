/**
 * After the user's first message: an offer to turn desktop notifications on, which asks the
 * browser only when accepted. "Not now" puts it away for good on this device (the settings can
 * still turn them on).
 */
import { useId } from 'react';
import { useNotificationsActions } from './notifications-context.js';
import { useNotificationSettings } from './notifications-slice.js';

export function NotificationOffer() {
  const notifications = useNotificationsActions();
  const { offer, access } = useNotificationSettings();
  const textId = useId();
  if (offer !== 'shown' || access !== 'default') return null;
  return (
    <section className="offer" aria-labelledby={textId}>
      <p id={textId}>Get a notification when someone mentions you or writes to you privately.</p>
      <div className="offer__actions">
        <TurnOnButton />
        <button
          type="button"
          className="button button--small"
          onClick={() => notifications.answerOffer()}
        >
          Not now
        </button>
      </div>
    </section>
  );
}

/** Asks the browser for the permission (from this click) and turns notifications on if given. */
export function TurnOnButton() {
  const notifications = useNotificationsActions();
  return (
    <button
      type="button"
      className="button button--primary button--small"
      onClick={() => void notifications.turnOn()}
    >
      Turn on notifications
    </button>
  );
}
