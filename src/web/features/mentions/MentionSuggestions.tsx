/**
 * The people `@` suggests under the message box. The focus stays in the box (the box owns the
 * keyboard: arrows, Enter, Tab, Escape); a click chooses too.
 */
import type { SessionUser } from '../../../protocol/index.js';
import { Avatar } from '../../core/ui/index.js';

export interface MentionSuggestionsProps {
  /** The listbox's id; each option's id is `${id}-${index}`, for aria-activedescendant. */
  id: string;
  suggestions: readonly SessionUser[];
  activeIndex: number;
  onChoose: (member: SessionUser) => void;
}

export function MentionSuggestions({
  id,
  suggestions,
  activeIndex,
  onChoose,
}: MentionSuggestionsProps) {
  return (
    <ul className="mentions" id={id} role="listbox" aria-label="Mention suggestions">
      {suggestions.map((member, index) => (
        <li
          key={member.id}
          id={`${id}-${index}`}
          role="option"
          aria-selected={index === activeIndex}
          className={`mentions__option${index === activeIndex ? ' mentions__option--active' : ''}`}
          // Keep the focus (and the caret) in the message box.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onChoose(member)}
        >
          <Avatar id={member.id} name={member.username} size="sm" />
          <bdi>{member.username}</bdi>
        </li>
      ))}
    </ul>
  );
}
