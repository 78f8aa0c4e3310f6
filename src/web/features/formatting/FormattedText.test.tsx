import { render, screen, waitFor } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { FormattedText, preloadFormatting } from './FormattedText.js';

/** Renders a message as the timeline does, in a bubble's text block. */
function show(text: string, meName?: string) {
  return render(
    <div className="bubble__text">
      <FormattedText text={text} meName={meName} />
    </div>,
  ).container;
}

/** Nothing that runs code or fetches anything may come out of a message. */
function expectInert(container: HTMLElement) {
  expect(
    container.querySelector('script, img, iframe, object, embed, svg, style, form'),
  ).toBeNull();
  for (const element of container.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      expect(attribute.name).not.toMatch(/^on/i);
      expect(attribute.value).not.toMatch(/^\s*(javascript|data|vbscript):/i);
    }
  }
}

describe('FormattedText before the parser has loaded', () => {
  it('shows the text as typed, then formatted once the parser arrives', async () => {
    const container = show('a **bold** move');
    // The first render cannot have the parser: it is a dynamic import.
    expect(container.querySelector('strong')).toBeNull();
    expect(container.textContent).toBe('a **bold** move');
    await waitFor(() => expect(container.querySelector('strong')).toHaveTextContent('bold'));
    expect(container.textContent).toBe('a bold move');
  });
});

describe('FormattedText', () => {
  beforeAll(() => preloadFormatting());

  it('renders the chat subset: bold, italic, strikethrough, code, blocks, quotes and lists', () => {
    const container = show(
      [
        '**bold** _italic_ *also* ~~gone~~ `a<b>`',
        '',
        '```',
        'const x = "<i>";',
        '```',
        '',
        '> quoted **words**',
        '',
        '- one',
        '- two',
        '',
        '3. three',
        '4. four',
      ].join('\n'),
    );
    expect(container.querySelector('strong')).toHaveTextContent('bold');
    expect([...container.querySelectorAll('em')].map((em) => em.textContent)).toEqual([
      'italic',
      'also',
    ]);
    expect(container.querySelector('s')).toHaveTextContent('gone');
    expect(container.querySelector(':not(pre) > code')).toHaveTextContent('a<b>');
    expect(container.querySelector('pre > code')?.textContent).toBe('const x = "<i>";');
    expect(container.querySelector('i')).toBeNull();
    expect(container.querySelector('blockquote strong')).toHaveTextContent('words');
    expect([...container.querySelectorAll('ul > li')].map((li) => li.textContent)).toEqual([
      'one',
      'two',
    ]);
    expect(container.querySelector('ol')).toHaveAttribute('start', '3');
  });

  it('keeps HTML as text: <script>, <img onerror> and friends never become elements', () => {
    const nasty = [
      '<script>alert(1)</script>',
      '<img src=x onerror="alert(1)">',
      '**<b onclick="alert(1)">bold</b>**',
      '<iframe src="https://evil.example"></iframe>',
      '<svg onload=alert(1)>',
      '`<style>body{}</style>`',
    ].join('\n\n');
    const container = show(nasty);
    expectInert(container);
    expect(container.querySelector('b')).toBeNull();
    expect(container.textContent).toContain('<script>alert(1)</script>');
    expect(container.textContent).toContain('<img src=x onerror="alert(1)">');
    // The bold around the tag still applies; the tag stays visible text.
    expect(container.querySelector('strong')?.textContent).toBe('<b onclick="alert(1)">bold</b>');
  });

  it('links only web and mail addresses; other schemes stay text as typed', () => {
    const container = show(
      [
        '[x](javascript:alert(1))',
        '[y](JaVaScRiPt:alert(1))',
        '[z](java\tscript:alert(1))',
        '[d](data:text/html,<script>alert(1)</script>)',
        '[v](vbscript:msgbox)',
        '[rel](/relative/path)',
        '<javascript:alert(1)>',
        '[ok](https://redis.io/docs) [mail](mailto:ops@example.com)',
      ].join('\n\n'),
    );
    expectInert(container);
    const links = [...container.querySelectorAll('a')];
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      'https://redis.io/docs',
      'mailto:ops@example.com',
    ]);
    for (const link of links) {
      expect(link).toHaveAttribute('target', '_blank');
      expect(link).toHaveAttribute('rel', 'noopener noreferrer nofollow');
    }
    expect(container.textContent).toContain('[x](javascript:alert(1))');
  });

  it('never loads an image: the Markdown for one stays text (its address a plain link)', () => {
    const container = show('![pixel](https://tracker.example/pixel.png)');
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toBe('![pixel](https://tracker.example/pixel.png)');
  });

  it('shows the domain a link really goes to when its text is not the address', () => {
    show(
      'see [the docs](https://redis.io/docs/latest) or [https://bank.example](https://evil.example/login)',
    );
    expect(screen.getByRole('link', { name: /^the docs/ })).toHaveTextContent(
      'the docs (redis.io)',
    );
    const lookalike = screen.getByRole('link', { name: /^https:\/\/bank/ });
    expect(lookalike).toHaveAttribute('href', 'https://evil.example/login');
    expect(lookalike).toHaveTextContent('https://bank.example (evil.example)');
    // The address in the link's text is not a link of its own.
    expect(lookalike.querySelector('a')).toBeNull();
  });

  it('keeps bare addresses, mentions and emoji working inside formatted text', () => {
    const container = show(
      '**hey @Pablo** see https://redis.io/docs, :tada: :not_an_emoji: `:tada:`',
      'Pablo',
    );
    expect(container.querySelector('strong .mention--me')).toHaveTextContent('@Pablo');
    expect(screen.getByRole('link', { name: 'https://redis.io/docs' })).toHaveAttribute(
      'href',
      'https://redis.io/docs',
    );
    expect(container.textContent).toContain('🎉');
    expect(container.textContent).toContain(':not_an_emoji:');
    // Code is shown as typed.
    expect(container.querySelector('code')).toHaveTextContent(':tada:');
  });

  it('turns shortcodes into emoji in plain messages too, with the presentation of an emoji', () => {
    const container = show('thanks :+1: :heart:');
    expect(container.textContent).toBe('thanks 👍 ❤️');
  });

  it('survives deeply nested quotes and lists and 4 KB of backticks, showing the text', () => {
    const quotes = '>'.repeat(4000);
    const container = show(quotes);
    expect(container.textContent).toBe(quotes);
    expectInert(container);

    const nestedLists = Array.from(
      { length: 40 },
      (_, depth) => `${'  '.repeat(depth)}- level ${depth}`,
    ).join('\n');
    const lists = show(nestedLists);
    expect(lists.textContent).toContain('level 39');
    // Past the nesting limit the rest is shown as typed, not as ever deeper lists.
    expect(lists.querySelectorAll('ul').length).toBeLessThanOrEqual(10);

    const backticks = '`'.repeat(4000);
    expect(show(backticks).textContent).toBe(backticks);
    const spaced = '` '.repeat(2000);
    // "` `" is a code span holding a space, as in any Markdown: a thousand of them, nothing more.
    const spans = show(spaced);
    expect(spans.querySelectorAll('code')).toHaveLength(1000);
    expectInert(spans);

    const emphasis = `${'*'.repeat(1000)}a${'*'.repeat(1000)}`;
    const deep = show(emphasis);
    expect(deep.textContent).toContain('a');
    expect(deep.querySelectorAll('strong, em').length).toBeLessThan(20);
  });

  it('leaves text without Markdown syntax exactly as typed, line breaks included', () => {
    const text = 'first line\nsecond line  with  spaces\n\n# not a heading';
    const container = show(text);
    expect(container.textContent).toBe(text);
    expect(container.querySelector('h1')).toBeNull();
  });

  it('does not treat headings, tables, rules or indented text as Markdown', () => {
    const container = show('# title\n\n| a | b |\n|---|---|\n\n---\n\n    indented **b**');
    expect(container.querySelector('h1, table, hr, pre')).toBeNull();
    expect(container.textContent).toContain('# title');
    expect(container.textContent).toContain('| a | b |');
    expect(container.querySelector('strong')).toHaveTextContent('b');
  });
});
