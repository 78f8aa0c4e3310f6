import { describe, expect, it } from 'vitest';
import { badgeText, iconWithBadge } from './favicon.js';

const ICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32'/%3E%3C/svg%3E";

const markup = (icon: string) => decodeURIComponent(icon.slice('data:image/svg+xml,'.length));

describe('the page icon', () => {
  it('gets a badge with the number drawn on it, inside the original picture', () => {
    const svg = markup(iconWithBadge(ICON, 3));
    expect(svg).toMatch(
      /^<svg [^>]*><rect width='32' height='32'\/><circle [^>]*\/><text [^>]*>3<\/text><\/svg>$/,
    );
  });

  it('says 9+ past nine, and is left alone with nothing unread', () => {
    expect(badgeText(12)).toBe('9+');
    expect(markup(iconWithBadge(ICON, 12))).toContain('>9+</text>');
    expect(iconWithBadge(ICON, 0)).toBe(ICON);
    expect(iconWithBadge('/favicon.ico', 4)).toBe('/favicon.ico');
  });
});
