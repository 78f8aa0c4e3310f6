/** Generated avatars: initials on a colour derived from the user id, so nothing is downloaded. */

/** Successive golden-angle steps never land close together: users 1, 2, 3… get distinct hues. */
const GOLDEN_ANGLE_DEG = 137.508;

/** A stable hue for an id, spread around the colour wheel. */
export function hueOfId(id: string): number {
  if (/^[0-9]{1,15}$/.test(id)) return Math.round((Number(id) * GOLDEN_ANGLE_DEG + 200) % 360);
  // Other ids (rooms): FNV-1a.
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % 360;
}

/** One or two letters: the first letters of the first two words, or the first two of one word. */
export function initialsOf(name: string): string {
  const words = name
    .replace(/[._-]+/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const first = words[0] ?? '?';
  const second = words[1];
  const letters = second ? [...first][0]! + [...second][0]! : [...first].slice(0, 2).join('');
  return letters.toUpperCase();
}
