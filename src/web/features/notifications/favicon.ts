/**
 * The page's icon with the number of unread messages drawn on it: the icon in index.html is an
 * SVG data URL, so a badge is added to its markup (no canvas, nothing fetched).
 */

const SVG_PREFIX = 'data:image/svg+xml,';

/** The badge's text: up to 9, then "9+" (a favicon is 16 px on most screens). */
export const badgeText = (count: number) => (count > 9 ? '9+' : String(count));

function badge(count: number): string {
  const text = badgeText(count);
  const fontSize = text.length > 1 ? 10 : 13;
  return (
    `<circle cx='23' cy='9' r='9' fill='#1d4ed8' stroke='#fff' stroke-width='1.5'/>` +
    `<text x='23' y='9' fill='#fff' font-family='Arial,Helvetica,sans-serif' font-weight='700' ` +
    `font-size='${fontSize}' text-anchor='middle' dominant-baseline='central'>${text}</text>`
  );
}

/** `icon` (an SVG data URL) with a badge for `count`, or `icon` itself for 0 or another format. */
export function iconWithBadge(icon: string, count: number): string {
  if (count <= 0 || !icon.startsWith(SVG_PREFIX)) return icon;
  const svg = decodeURIComponent(icon.slice(SVG_PREFIX.length));
  const end = svg.lastIndexOf('</svg>');
  if (end < 0) return icon;
  return SVG_PREFIX + encodeURIComponent(svg.slice(0, end) + badge(count) + svg.slice(end));
}
