import { describe, expect, it } from 'vitest';
import { avatarMaxLightness, hueOfId, whiteContrastOn } from './avatar.js';

describe('avatar colours', () => {
  it('keep white initials at a contrast of at least 4.5:1 on every hue', () => {
    for (let hue = 0; hue < 360; hue++) {
      const lightness = avatarMaxLightness(hue);
      expect(whiteContrastOn(hue, lightness / 100)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('darken yellows and greens more than blues', () => {
    expect(avatarMaxLightness(60)).toBeLessThan(avatarMaxLightness(230));
    // User 2's hue is a green: it gets darker than the light theme's 48 %.
    expect(avatarMaxLightness(hueOfId('2'))).toBeLessThan(48);
  });

  it('match the known contrast of white on pure colours', () => {
    // hsl(0 58% 50%) is #c93636, on which white has a contrast of 5.16.
    expect(whiteContrastOn(0, 0.5)).toBeCloseTo(5.16, 1);
  });
});
