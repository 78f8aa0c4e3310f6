/** The browser's Notification API behind a small interface, so the rules can be tested without it. */
import type { NotificationAccess } from './notifications-slice.js';

export interface DesktopNotice {
  title: string;
  body: string;
  /** Notices with the same tag replace each other (one per room, across this site's tabs). */
  tag: string;
  onClick: () => void;
}

export interface DesktopNotifier {
  access(): NotificationAccess;
  /** Asks the browser (only from a user's click: browsers ignore it otherwise). */
  requestAccess(): Promise<NotificationAccess>;
  show(notice: DesktopNotice): void;
}

export function browserNotifier(): DesktopNotifier {
  const supported = () => typeof window !== 'undefined' && 'Notification' in window;
  return {
    access: () => (supported() ? Notification.permission : 'unsupported'),
    async requestAccess() {
      if (!supported()) return 'unsupported';
      return Notification.requestPermission();
    },
    show({ title, body, tag, onClick }) {
      if (!supported() || Notification.permission !== 'granted') return;
      const notification = new Notification(title, { body, tag });
      notification.onclick = () => {
        onClick();
        notification.close();
      };
    },
  };
}
