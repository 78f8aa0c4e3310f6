import { createActionsContext } from '../../core/store/index.js';
import type { ThreadsEffects } from './threads-effects.js';

/** The chat screen provides its ThreadsEffects; components call them through this hook. */
export const { Provider: ThreadsActionsProvider, useActions: useThreadsActions } =
  createActionsContext<ThreadsEffects>('Threads');
