import { createActionsContext } from '../../core/store/index.js';
import type { RoomsEffects } from './rooms-effects.js';

export const { Provider: RoomsActionsProvider, useActions: useRoomsActions } =
  createActionsContext<RoomsEffects>('Rooms');
