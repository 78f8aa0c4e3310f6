import { createActionsContext } from '../../core/store/index.js';
import type { ModerationEffects } from './moderation-effects.js';

/** The chat screen provides its ModerationEffects; components call them through this hook. */
export const { Provider: ModerationActionsProvider, useActions: useModerationActions } =
  createActionsContext<ModerationEffects>('Moderation');
