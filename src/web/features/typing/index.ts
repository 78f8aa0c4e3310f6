/** Typing notices both ways: who else is typing, and telling the others that we type. */
export { TypingIndicator } from './TypingIndicator.js';
export { TYPING_RENEW_MS, TypingAnnouncer, typingText, type Typist } from './typing.js';
export { TypingActionsProvider, useTypingActions } from './typing-context.js';
export { TypingEffects, type TypingStore } from './typing-effects.js';
export {
  selectTypists,
  typistsReducer,
  useTypists,
  type TypingAction,
  type TypistsState,
  type WithTypists,
} from './typing-slice.js';
