/** Searching the messages of one room or all of the user's rooms, and opening a hit in context. */
export { HighlightedText } from './HighlightedText.js';
export { SearchActionsProvider, useSearchActions } from './search-context.js';
export { SearchEffects, type SearchScope } from './search-effects.js';
export { MessageSearch, SEARCH_SHORTCUT_LABEL } from './MessageSearch.js';
