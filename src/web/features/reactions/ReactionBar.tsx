/**
 * Under a message: its reactions, each with its count and who reacted (the tooltip and the
 * accessible name), pressed when one of them is ours; pressing one adds or takes back ours.
 */
import type { Reaction } from '../../../protocol/index.js';
import { asSentence } from '../../core/lib/format.js';
import { shallowEqual, useSelector } from '../../core/store/index.js';
import { useMe } from '../auth/index.js';
import { selectUser, type WithUsers } from '../presence/index.js';
import { useReactionsActions } from './reactions-context.js';
import { useReactionRefusal, useReactions } from './reactions-slice.js';

/** "Ada, Bruno and you". */
export function reactorNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function useReactorNames(userIds: string[], meId: string): string[] {
  return useSelector(
    (state: WithUsers) =>
      userIds.map((id) => (id === meId ? 'you' : (selectUser(state, id)?.username ?? 'someone'))),
    shallowEqual,
  );
}

export interface ReactionBarProps {
  roomId: string;
  messageId: string;
}

export function ReactionBar({ roomId, messageId }: ReactionBarProps) {
  const reactions = useReactions(roomId, messageId);
  const refusal = useReactionRefusal(roomId, messageId);
  if (reactions.length === 0 && !refusal) return null;
  return (
    <div className="reactions" role="group" aria-label="Reactions">
      {reactions.map((reaction) => (
        <ReactionChip
          key={reaction.emoji}
          roomId={roomId}
          messageId={messageId}
          reaction={reaction}
        />
      ))}
      {refusal && (
        <span className="reactions__problem" role="alert">
          Reaction not saved. {asSentence(refusal)}
        </span>
      )}
    </div>
  );
}

function ReactionChip({
  roomId,
  messageId,
  reaction,
}: {
  roomId: string;
  messageId: string;
  reaction: Reaction;
}) {
  const actions = useReactionsActions();
  const me = useMe();
  const names = reactorNames(useReactorNames(reaction.userIds, me.id));
  const mine = reaction.userIds.includes(me.id);
  const count = reaction.userIds.length;
  const press = () => void actions.toggle(roomId, messageId, reaction.emoji);
  return (
    <button
      type="button"
      className={`reaction${mine ? ' reaction--mine' : ''}`}
      aria-pressed={mine}
      // The visible text first (the emoji and the count), then who reacted.
      aria-label={`${reaction.emoji} ${count}, from ${names}`}
      title={`${names} reacted with ${reaction.emoji}`}
      onClick={press}
    >
      <span className="reaction__emoji">{reaction.emoji}</span>
      <span className="reaction__count">{count}</span>
    </button>
  );
}
