import type { ComponentProps } from 'react';

export type IconButtonProps = ComponentProps<'button'> & {
  /** What the button does: its accessible name and its tooltip, since it shows only an icon. */
  label: string;
};

/** A button that shows only an icon. */
export function IconButton({ label, className, children, ...rest }: IconButtonProps) {
  return (
    <button
      type="button"
      className={className ? `icon-button ${className}` : 'icon-button'}
      aria-label={label}
      title={label}
      {...rest}
    >
      {children}
    </button>
  );
}
