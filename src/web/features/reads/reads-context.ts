import { createActionsContext } from '../../core/store/index.js';
import type { ReadsEffects } from './reads-effects.js';

export const { Provider: ReadsActionsProvider, useActions: useReadsActions } =
  createActionsContext<ReadsEffects>('Reads');
