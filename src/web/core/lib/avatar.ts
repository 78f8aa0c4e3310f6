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

/** Saturation of avatar colours (keep in step with styles.css). */
const AVATAR_SATURATION = 0.58;
/** WCAG AA for normal text, with a little room for rounding in the browser. */
const WHITE_TEXT_CONTRAST = 4.6;

/** sRGB channels (0–1) of an HSL colour. */
function hslToRgb(hueDeg: number, saturation: number, lightness: number): [number, number, number] {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const channel = (n: number) => {
    const k = (n + hueDeg / 30) % 12;
    return lightness - (chroma / 2) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return [channel(0), channel(8), channel(4)];
}

/** WCAG relative luminance of an sRGB colour. */
function luminance([r, g, b]: [number, number, number]): number {
  const linear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** Contrast of white text on an avatar of this hue and lightness (0–1). */
export function whiteContrastOn(hueDeg: number, lightness: number): number {
  return 1.05 / (luminance(hslToRgb(hueDeg, AVATAR_SATURATION, lightness)) + 0.05);
}

/**
 * The lightest avatar background (percent) on which white initials stay readable: yellows and
 * greens are bright at the lightness that suits blues, so they get darker.
 */
export function avatarMaxLightness(hueDeg: number): number {
  let lightness = 60;
  while (lightness > 20 && whiteContrastOn(hueDeg, lightness / 100) < WHITE_TEXT_CONTRAST) {
    lightness -= 1;
  }
  return lightness;
}
