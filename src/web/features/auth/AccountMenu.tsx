/**
 * The account menu by the user's name: change the password, or sign out on every device. A menu
 * button (WAI-ARIA menu pattern): the arrow keys, Home and End move between its items, Escape
 * closes it and gives the focus back to the button, and a click elsewhere or Tab closes it.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { api } from '../../core/transport/index.js';
import { AccountIcon, ConfirmDialog, IconButton } from '../../core/ui/index.js';
import { ChangePasswordDialog } from './ChangePasswordDialog.js';
import { accountErrorMessage } from './login-errors.js';

export interface AccountMenuProps {
  /** Called once every session has ended: the screen goes back to sign-in. */
  onSignedOutEverywhere: () => void;
  logoutAll?: () => Promise<unknown>;
  changePassword?: (current: string, password: string) => Promise<unknown>;
}

type AccountDialog = 'password' | 'everywhere';

export function AccountMenu({
  onSignedOutEverywhere,
  logoutAll = api.logoutAll,
  changePassword = api.changePassword,
}: AccountMenuProps) {
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<AccountDialog | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const menuId = useId();

  const items = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];

  const close = useCallback((returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) button.current?.focus();
  }, []);

  // The first item takes the focus as the menu opens.
  useEffect(() => {
    if (open) menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [open]);

  // A press outside the menu and its button closes it.
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) close(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open, close]);

  const onMenuKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLElement);
    const focusAt = (index: number) => all[(index + all.length) % all.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        focusAt(at + 1);
        break;
      case 'ArrowUp':
        focusAt(at - 1);
        break;
      case 'Home':
        focusAt(0);
        break;
      case 'End':
        focusAt(all.length - 1);
        break;
      case 'Escape':
        // The drawer, behind, must not close too.
        event.nativeEvent.stopImmediatePropagation();
        close(true);
        break;
      case 'Tab':
        close(false);
        return;
      default:
        return;
    }
    event.preventDefault();
  };

  const choose = (which: AccountDialog) => {
    close(false);
    setDialog(which);
  };

  return (
    <div className="account-menu">
      <IconButton
        ref={button}
        label="Account"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : setOpen(true))}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        <AccountIcon />
      </IconButton>
      {open && (
        <ul
          ref={menu}
          id={menuId}
          className="account-menu__list"
          role="menu"
          aria-label="Account"
          onKeyDown={onMenuKeyDown}
        >
          <li role="none">
            <button
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="account-menu__item"
              onClick={() => choose('password')}
            >
              Change password
            </button>
          </li>
          <li role="none">
            <button
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="account-menu__item"
              onClick={() => choose('everywhere')}
            >
              Sign out everywhere
            </button>
          </li>
        </ul>
      )}
      {dialog === 'password' && (
        <ChangePasswordDialog changePassword={changePassword} onClose={() => setDialog(null)} />
      )}
      {dialog === 'everywhere' && (
        <ConfirmDialog
          label="Sign out everywhere?"
          text="Every device and browser signed in to your account is signed out, this one too."
          confirmLabel="Sign out everywhere"
          onConfirm={async () => {
            try {
              await logoutAll();
            } catch (error) {
              throw new Error(accountErrorMessage(error));
            }
            onSignedOutEverywhere();
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}
