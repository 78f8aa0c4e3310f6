/**
 * A run of messages from one sender: avatar, name (which opens a private room) with the presence
 * dot, then the bubbles. Our own messages sit on the right and show their sending state.
 */
import { memo } from 'react';
import type { UserPresence } from '../../../protocol/index.js';
import { AlertIcon, CheckIcon, ClockIcon } from '../../app/icons.js';
import { dateOfSeconds, formatFullDate, formatTime } from '../../lib/format.js';
import { Avatar, PresenceDot } from '../presence/Avatar.js';
import { MessageText } from './MessageText.js';
import type { MessageView, TimelineBlock } from './timeline.js';

type Group = Extract<TimelineBlock, { kind: 'group' }>;

export interface MessageGroupProps {
  group: Group;
  sender: UserPresence | undefined;
  onOpenPrivate: (userId: string) => void;
  onRetry: (localId: string) => void;
  onDiscard: (localId: string) => void;
}

const sameView = (a: MessageView, b: MessageView) =>
  a.key === b.key &&
  a.text === b.text &&
  a.status === b.status &&
  a.error === b.error &&
  a.edited === b.edited &&
  a.deleted === b.deleted;

/** Timelines are rebuilt on every change; a group redraws only when what it shows changed. */
function sameGroup(previous: MessageGroupProps, next: MessageGroupProps): boolean {
  const a = previous.group;
  const b = next.group;
  return (
    previous.sender?.username === next.sender?.username &&
    previous.sender?.online === next.sender?.online &&
    previous.onOpenPrivate === next.onOpenPrivate &&
    previous.onRetry === next.onRetry &&
    previous.onDiscard === next.onDiscard &&
    a.key === b.key &&
    a.messages.length === b.messages.length &&
    a.messages.every((view, index) => sameView(view, b.messages[index]!))
  );
}

export const MessageGroup = memo(function MessageGroup({
  group,
  sender,
  onOpenPrivate,
  onRetry,
  onDiscard,
}: MessageGroupProps) {
  const name = sender?.username ?? '…';
  const online = sender?.online ?? false;
  return (
    <div className={`group${group.own ? ' group--own' : ''}`}>
      {!group.own && <Avatar id={group.from} name={name} />}
      <div className="group__body">
        {!group.own && (
          <div className="group__meta">
            <button
              type="button"
              className="group__sender"
              onClick={() => onOpenPrivate(group.from)}
              title={`Send ${name} a private message`}
            >
              {name}
            </button>
            <PresenceDot online={online} />
            <span className="visually-hidden">{online ? 'online' : 'offline'}</span>
          </div>
        )}
        {group.messages.map((view) => (
          <Bubble
            key={view.key}
            view={view}
            own={group.own}
            onRetry={onRetry}
            onDiscard={onDiscard}
          />
        ))}
      </div>
    </div>
  );
}, sameGroup);

function Bubble({
  view,
  own,
  onRetry,
  onDiscard,
}: {
  view: MessageView;
  own: boolean;
  onRetry: (localId: string) => void;
  onDiscard: (localId: string) => void;
}) {
  const { localId } = view;
  return (
    <div className={`bubble bubble--${view.status}`} data-status={view.status}>
      {view.deleted ? (
        <p className="bubble__text bubble__text--deleted">Message deleted</p>
      ) : (
        <p className="bubble__text">
          <MessageText text={view.text} />
        </p>
      )}
      <span className="bubble__meta">
        {view.edited && <span className="bubble__edited">edited</span>}
        <time dateTime={dateOfSeconds(view.date).toISOString()} title={formatFullDate(view.date)}>
          {formatTime(view.date)}
        </time>
        {view.status === 'pending' && (
          <span className="bubble__state" role="status">
            <ClockIcon />
            <span className="visually-hidden">Sending</span>
          </span>
        )}
        {view.status === 'sent' && own && (
          <span className="bubble__state">
            <CheckIcon />
            <span className="visually-hidden">Sent</span>
          </span>
        )}
      </span>
      {view.status === 'failed' && localId && (
        <div className="bubble__failure" role="alert">
          <AlertIcon />
          <span>Not sent. {view.error}</span>
          <button type="button" className="link-button" onClick={() => onRetry(localId)}>
            Retry
          </button>
          <button type="button" className="link-button" onClick={() => onDiscard(localId)}>
            Discard
          </button>
        </div>
      )}
    </div>
  );
}
