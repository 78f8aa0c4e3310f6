import { describe, expect, it } from 'vitest';
import { linkify } from './linkify.js';

describe('linkify', () => {
  it('finds http(s) and www. addresses and leaves the rest as text', () => {
    expect(linkify('see https://redis.io/docs and www.example.com/a?b=1 now')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://redis.io/docs', href: 'https://redis.io/docs' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'www.example.com/a?b=1', href: 'https://www.example.com/a?b=1' },
      { kind: 'text', text: ' now' },
    ]);
  });

  it('leaves sentence punctuation and an unbalanced closing bracket outside the link', () => {
    expect(linkify('(read http://a.example/x_(y).)')).toEqual([
      { kind: 'text', text: '(read ' },
      { kind: 'link', text: 'http://a.example/x_(y)', href: 'http://a.example/x_(y)' },
      { kind: 'text', text: '.)' },
    ]);
  });

  it('never turns other schemes into links', () => {
    expect(linkify('javascript:alert(1) data:text/html,hi')).toEqual([
      { kind: 'text', text: 'javascript:alert(1) data:text/html,hi' },
    ]);
  });

  it('returns plain text unchanged', () => {
    expect(linkify('no links here')).toEqual([{ kind: 'text', text: 'no links here' }]);
    expect(linkify('')).toEqual([]);
  });
});
