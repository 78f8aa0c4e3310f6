/**
 * The page's title and icon: the open room, after the number of unread messages in the rooms that
 * are not muted ("(3) General · Redis Chat"), and that number drawn on the icon.
 */
import { useEffect } from 'react';
import { iconWithBadge } from './favicon.js';
import { useAttentionTotal } from './notifications-slice.js';

export function AttentionIndicators({ roomTitle }: { roomTitle: string }) {
  const total = useAttentionTotal();

  useEffect(() => {
    document.title = `${total > 0 ? `(${total}) ` : ''}${roomTitle} · Redis Chat`;
  }, [roomTitle, total]);

  useEffect(() => {
    const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    if (!link) return;
    // The icon as index.html has it, kept on the element so every redraw starts from it.
    link.dataset.plainIcon ??= link.href;
    link.href = iconWithBadge(link.dataset.plainIcon, total);
  }, [total]);

  useEffect(
    () => () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
      if (link?.dataset.plainIcon) link.href = link.dataset.plainIcon;
    },
    [],
  );

  return null;
}
