/** Threads: sizes from history and live, the open thread's replies, unread threads. */
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../protocol/index.js';
import { chatReducer, type ChatAction, type ChatState } from '../../screens/chat-state.js';
import { withGeneralLoaded } from '../../test/chat-harness.js';
import { testMessage as message } from '../../test/test-messages.js';
import { selectThreadSize, selectThreadUnread } from './threads-slice.js';

const run = (state: ChatState, ...actions: ChatAction[]) => actions.reduce(chatReducer, state);
const reply = (from: string, text: string, to: ChatMessage) => ({
  ...message(from, text),
  replyTo: to.id,
});
const summaryOf = (parent: ChatMessage, count: number, last: ChatMessage) => ({
  roomId: '0',
  messageId: parent.id,
  replyCount: count,
  lastReplyId: last.id,
  lastReplyAt: last.date,
});

describe('threads', () => {
  it('take their size from history and live, never going back to fewer replies', () => {
    const question = message('2', 'lunch?');
    const first = reply('3', 'me', question);
    const page = { ...question, replyCount: 1, lastReplyId: first.id, lastReplyAt: first.date };
    let state = withGeneralLoaded([page, first]);
    expect(selectThreadSize(state, '0', question.id)).toMatchObject({ replyCount: 1 });
    const second = reply('2', 'great', question);
    state = run(state, { type: 'threads.summarized', list: [summaryOf(question, 2, second)] });
    // A late page with the older size changes nothing.
    state = run(state, { type: 'threads.summarized', list: [summaryOf(question, 1, first)] });
    expect(selectThreadSize(state, '0', question.id)).toEqual({
      replyCount: 2,
      lastReplyId: second.id,
      lastReplyAt: second.date,
    });
  });

  it('are unread until the room is read past their newest reply, or the thread is seen', () => {
    const question = message('1', 'lunch?');
    const answer = reply('2', 'me', question);
    let state = run(
      withGeneralLoaded([question]),
      { type: 'rooms.listed', rooms: [{ id: '0', names: ['General'], lastReadId: question.id }] },
      { type: 'threads.summarized', list: [summaryOf(question, 1, answer)] },
    );
    expect(selectThreadUnread(state, '0', question.id)).toBe(true);
    state = run(state, { type: 'room.read', marker: { roomId: '0', lastReadId: answer.id } });
    expect(selectThreadUnread(state, '0', question.id)).toBe(false);

    const another = reply('2', 'and me', question);
    state = run(state, { type: 'threads.summarized', list: [summaryOf(question, 2, another)] });
    expect(selectThreadUnread(state, '0', question.id)).toBe(true);
    // Opening the thread shows its replies: it is read.
    state = run(
      state,
      { type: 'thread.opened', roomId: '0', messageId: question.id },
      {
        type: 'thread.loaded',
        roomId: '0',
        messageId: question.id,
        page: { parent: question, replies: [answer, another], hasOlder: false },
        older: false,
      },
    );
    expect(selectThreadUnread(state, '0', question.id)).toBe(false);
  });

  it('keep the open thread current with the room’s replies and edits', () => {
    const question = message('1', 'lunch?');
    const answer = reply('2', 'me', question);
    let state = run(
      withGeneralLoaded([question]),
      { type: 'thread.opened', roomId: '0', messageId: question.id },
      {
        type: 'thread.loaded',
        roomId: '0',
        messageId: question.id,
        page: { parent: { ...question, replyCount: 1 }, replies: [answer], hasOlder: false },
        older: false,
      },
    );
    const late = reply('3', 'me too', question);
    const elsewhere = message('3', 'unrelated');
    state = run(
      state,
      { type: 'messages.arrived', messages: [late, elsewhere] },
      { type: 'messages.arrived', messages: [late] },
      { type: 'message.updated', message: { ...question, message: '', deleted: true } },
    );
    expect(state.threads.open?.replies.map((m) => m.message)).toEqual(['me', 'me too']);
    // Deleting the first message keeps its thread.
    expect(state.threads.open?.parent).toMatchObject({ deleted: true, replyCount: 1 });
    state = run(state, { type: 'thread.closed' });
    expect(state.threads.open).toBeNull();
  });
});
