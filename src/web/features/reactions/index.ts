/** Emoji reactions on messages: who reacted with what, live, and the picker to add one. */
export { COMMON_REACTIONS, EmojiPicker, findEmoji } from './EmojiPicker.js';
export { ReactButton, type ReactButtonProps } from './ReactButton.js';
export { ReactionBar, reactorNames, type ReactionBarProps } from './ReactionBar.js';
export { ReactionsActionsProvider, useReactionsActions } from './reactions-context.js';
export { ReactionsEffects, type ReactionsStore } from './reactions-effects.js';
export {
  initialReactionsState,
  reactionsReducer,
  selectReactionRefusal,
  selectReactions,
  useReactionRefusal,
  useReactions,
  type ReactionsAction,
  type ReactionsState,
  type WithReactions,
} from './reactions-slice.js';
