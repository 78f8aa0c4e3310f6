/**
 * A small button by the message box that shows what formatting the chat understands and its
 * keyboard shortcuts. Escape or a second press closes it.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { IconButton, TextFormatIcon } from '../../core/ui/index.js';
import { MODIFIER_LABEL } from './format-shortcuts.js';

export function FormattingHelp() {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  const mod = MODIFIER_LABEL;
  return (
    <>
      <IconButton
        ref={button}
        label="Formatting help"
        className="format-help__button"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen((shown) => !shown)}
      >
        <TextFormatIcon />
      </IconButton>
      {open && (
        <div ref={panel} id={panelId} className="format-help" role="region" aria-label="Formatting">
          <table className="format-help__table">
            <tbody>
              <Row typed="**bold**" shown={<strong>bold</strong>} keys={`${mod}B`} />
              <Row typed="_italic_" shown={<em>italic</em>} keys={`${mod}I`} />
              <Row typed="~~struck~~" shown={<s>struck</s>} keys={`${mod}Shift+X`} />
              <Row typed="`code`" shown={<code>code</code>} keys={`${mod}E`} />
              <Row typed="```code block```" shown="Code block" />
              <Row typed="> quote" shown="Quote" />
              <Row typed="- item, 1. item" shown="List" />
              <Row typed="[text](https://…)" shown="Link" />
              <Row typed=":smile:" shown="😄" />
              <Row typed="Shift+Enter" shown="New line" />
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Row({ typed, shown, keys }: { typed: string; shown: React.ReactNode; keys?: string }) {
  return (
    <tr>
      <td>
        <code>{typed}</code>
      </td>
      <td>{shown}</td>
      <td className="format-help__keys">{keys && <kbd>{keys}</kbd>}</td>
    </tr>
  );
}
