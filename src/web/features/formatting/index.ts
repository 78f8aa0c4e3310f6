/**
 * Formatting of message text: a safe Markdown subset rendered as React elements (the parser and
 * the emoji table load in chunks of their own), links that only go to web and mail addresses
 * with their domain shown, `:emoji:` shortcodes, and the composer's shortcuts and help.
 */
export {
  FormattedText,
  preloadFormatting,
  preloadMarkdown,
  useEmojiByShortcode,
} from './FormattedText.js';
export { FormattingHelp } from './FormattingHelp.js';
export {
  MODIFIER_LABEL,
  formattingShortcut,
  markerFor,
  toggleMarker,
  type FormattingKey,
  type TextEdit,
} from './format-shortcuts.js';
export { SafeLink, domainOf, safeHref } from './safe-link.js';
export { useFormattingShortcuts } from './use-formatting-shortcuts.js';
