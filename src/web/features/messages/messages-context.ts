import { createActionsContext } from '../../core/store/index.js';
import type { MessagesEffects } from './messages-effects.js';

/** The chat screen provides its MessagesEffects; components call them through this hook. */
export const { Provider: MessagesActionsProvider, useActions: useMessagesActions } =
  createActionsContext<MessagesEffects>('Messages');
