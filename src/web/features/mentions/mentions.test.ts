import { describe, expect, it } from 'vitest';
import { filterMembers, insertMention, mentionQueryAt, splitMentions } from './mentions.js';

const people = ['Mary', 'Joe', 'maria.k', 'Alex', 'Rosemary'].map((username, i) => ({
  id: String(i + 1),
  username,
}));

describe('mentionQueryAt', () => {
  it('finds the @word the caret is in, from the @ to the caret', () => {
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQueryAt('hi @ma', 6)).toEqual({ start: 3, query: 'ma' });
    expect(mentionQueryAt('hi @mary how', 6)).toEqual({ start: 3, query: 'ma' });
    expect(mentionQueryAt('(@jo', 4)).toEqual({ start: 1, query: 'jo' });
  });

  it('ignores addresses, words without @, and a caret past a space', () => {
    expect(mentionQueryAt('mail me@example', 15)).toBeNull();
    expect(mentionQueryAt('hello', 5)).toBeNull();
    expect(mentionQueryAt('@mary ', 6)).toBeNull();
  });
});

describe('filterMembers', () => {
  it('puts names starting with the query first, then names containing it, ignoring case', () => {
    expect(filterMembers(people, 'MAR').map((p) => p.username)).toEqual([
      'Mary',
      'maria.k',
      'Rosemary',
    ]);
    expect(filterMembers(people, '').map((p) => p.username)).toHaveLength(5);
    expect(filterMembers(people, 'zz')).toEqual([]);
    expect(filterMembers(people, '', 2)).toHaveLength(2);
  });
});

describe('insertMention', () => {
  it('replaces the typed @query with @username and a space, caret after it', () => {
    const text = 'hi @ma';
    expect(insertMention(text, { start: 3, query: 'ma' }, 6, 'Mary')).toEqual({
      text: 'hi @Mary ',
      caret: 9,
    });
  });

  it('completes a word in the middle of the text without doubling the space', () => {
    const text = 'hey @jo how are you';
    expect(insertMention(text, { start: 4, query: 'jo' }, 7, 'Joe')).toEqual({
      text: 'hey @Joe how are you',
      caret: 9,
    });
  });
});

describe('splitMentions', () => {
  it('splits @names out of the text, leaving trailing dots and e-mail addresses alone', () => {
    expect(splitMentions('thanks @Mary. and @joe_2!')).toEqual([
      { kind: 'text', text: 'thanks ' },
      { kind: 'mention', text: '@Mary', name: 'Mary' },
      { kind: 'text', text: '. and ' },
      { kind: 'mention', text: '@joe_2', name: 'joe_2' },
      { kind: 'text', text: '!' },
    ]);
    expect(splitMentions('write to a@b.c')).toEqual([{ kind: 'text', text: 'write to a@b.c' }]);
  });
});
