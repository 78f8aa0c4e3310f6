import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FormattedText as MessageText } from './FormattedText.js';

describe('plain message text', () => {
  it('renders markup as plain text, never as HTML', () => {
    const text = '<img src=x onerror="alert(1)"><b>bold?</b>';
    const { container } = render(
      <p>
        <MessageText text={text} />
      </p>,
    );
    expect(container.querySelector('img, b')).toBeNull();
    expect(container.textContent).toBe(text);
  });

  it('turns web addresses into links that open safely in a new tab', () => {
    render(
      <p>
        <MessageText text="docs at https://redis.io/docs, or www.example.com." />
      </p>,
    );
    const links = screen.getAllByRole('link');
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      'https://redis.io/docs',
      // Normalized by the URL parser, as the browser would.
      'https://www.example.com/',
    ]);
    for (const link of links) {
      expect(link).toHaveAttribute('target', '_blank');
      expect(link).toHaveAttribute('rel', 'noopener noreferrer nofollow');
    }
  });

  it('does not link javascript: addresses, and escapes markup inside a link', () => {
    const { container } = render(
      <p>
        <MessageText text={'javascript:alert(1) https://x.example/"><script>'} />
      </p>,
    );
    expect(container.querySelector('script')).toBeNull();
    expect(screen.getAllByRole('link').map((link) => link.getAttribute('href'))).toEqual([
      'https://x.example/',
    ]);
  });
});
