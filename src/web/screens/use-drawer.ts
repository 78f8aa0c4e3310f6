/**
 * The sidebar as a drawer on a phone: open and closed, Escape closes it, the focus goes into it
 * when it opens and back to the menu button when it closes.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export function useDrawer(narrow: boolean) {
  const [open, setOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const sidebar = useRef<HTMLElement>(null);
  const shown = narrow && open;
  const close = useCallback(() => setOpen(false), []);
  const show = useCallback(() => setOpen(true), []);

  // When the drawer closes, the focus it held would fall to <body>: give it back to the menu
  // button (only after the render that lifts `inert` from the conversation).
  const wasShown = useRef(false);
  useEffect(() => {
    const active = document.activeElement;
    if (
      wasShown.current &&
      !shown &&
      (active === document.body || sidebar.current?.contains(active))
    ) {
      menuButton.current?.focus();
    }
    wasShown.current = shown;
  }, [shown]);

  useEffect(() => {
    if (!shown) return;
    sidebar.current?.querySelector<HTMLElement>('[aria-current="page"]')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [shown, close]);

  return { open, shown, show, close, menuButton, sidebar };
}
