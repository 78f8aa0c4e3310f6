/** Initials on a colour derived from the id, with an optional online dot. */
import type { CSSProperties, ReactNode } from 'react';
import { avatarMaxLightness, hueOfId, initialsOf } from '../lib/avatar.js';

export interface AvatarProps {
  id: string;
  name: string;
  size?: 'sm' | 'md' | 'lg';
  /** Shows the presence dot when set. */
  online?: boolean;
  /** Shown instead of initials (General's "#", a group room's sign). */
  symbol?: ReactNode;
}

export function Avatar({ id, name, size = 'md', online, symbol }: AvatarProps) {
  const hue = hueOfId(id);
  const style = {
    '--avatar-hue': hue,
    '--avatar-l-max': `${avatarMaxLightness(hue)}%`,
  } as CSSProperties;
  return (
    <span className={`avatar avatar--${size}`} style={style} aria-hidden="true">
      {symbol ?? initialsOf(name)}
      {online !== undefined && <PresenceDot online={online} />}
    </span>
  );
}

/** Decorative: the text next to it (or the list's label) says online/offline for screen readers. */
export function PresenceDot({ online }: { online: boolean }) {
  return (
    <span
      className={`presence-dot${online ? ' presence-dot--online' : ''}`}
      data-online={online}
      aria-hidden="true"
    />
  );
}
