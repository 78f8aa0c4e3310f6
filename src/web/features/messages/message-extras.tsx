/**
 * What other features add to a message, given by the screen: more actions next to edit and
 * delete (react, reply), a part above its text (the quote of what a reply answers), and parts
 * under it (reactions, a thread's summary, "Seen"). Each
 * part selects its own state from the store, so a change to a message's reactions redraws that
 * part alone, and this feature knows none of them.
 */
import { createContext, useContext } from 'react';
import type { ComponentType } from 'react';

/** Which message a part is about. */
export interface MessageExtraProps {
  roomId: string;
  messageId: string;
  /** The reader wrote it. */
  own: boolean;
  /** It was deleted: only the parts under it show (a deleted message keeps its thread). */
  deleted: boolean;
}

export interface MessageExtras {
  /** Buttons among the message's actions (each styled with `className`). */
  Actions?: ComponentType<MessageExtraProps & { className: string }>;
  /** Above the message's text (not for a deleted one). */
  Above?: ComponentType<MessageExtraProps>;
  /** Under the message's text, deleted ones included. */
  Below?: ComponentType<MessageExtraProps>;
}

const NO_EXTRAS: MessageExtras = {};
const MessageExtrasContext = createContext<MessageExtras>(NO_EXTRAS);

export const MessageExtrasProvider = MessageExtrasContext.Provider;
export const useMessageExtras = () => useContext(MessageExtrasContext);
