/**
 * `@username` mentions: finding the `@word` being typed, suggesting people, putting the name in,
 * and showing mentions in messages. Unread mentions are counted with the other unread messages
 * (reads), with `mentionsUser`.
 */
export {
  SUGGESTIONS_SHOWN,
  filterMembers,
  insertMention,
  mentionQueryAt,
  mentionsUser,
  splitMentions,
  type MentionPart,
  type MentionQuery,
} from './mentions.js';
export { MentionSuggestions, type MentionSuggestionsProps } from './MentionSuggestions.js';
export { TextWithMentions } from './TextWithMentions.js';
