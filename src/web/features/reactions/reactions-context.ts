import { createActionsContext } from '../../core/store/index.js';
import type { ReactionsEffects } from './reactions-effects.js';

/** The chat screen provides its ReactionsEffects; components call them through this hook. */
export const { Provider: ReactionsActionsProvider, useActions: useReactionsActions } =
  createActionsContext<ReactionsEffects>('Reactions');
