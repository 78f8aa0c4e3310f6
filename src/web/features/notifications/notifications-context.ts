import { createActionsContext } from '../../core/store/index.js';
import type { NotificationsEffects } from './notifications-effects.js';

export const { Provider: NotificationsActionsProvider, useActions: useNotificationsActions } =
  createActionsContext<NotificationsEffects>('Notifications');
