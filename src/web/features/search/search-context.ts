import { createActionsContext } from '../../core/store/index.js';
import type { SearchEffects } from './search-effects.js';

/** The chat screen provides its SearchEffects; components call them through this hook. */
export const { Provider: SearchActionsProvider, useActions: useSearchActions } =
  createActionsContext<SearchEffects>('Search');
