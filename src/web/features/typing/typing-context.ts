import { createActionsContext } from '../../core/store/index.js';
import type { TypingEffects } from './typing-effects.js';

export const { Provider: TypingActionsProvider, useActions: useTypingActions } =
  createActionsContext<TypingEffects>('Typing');
