export { Avatar, PresenceDot, type AvatarProps } from './Avatar.js';
export { ConfirmDialog, type ConfirmDialogProps } from './ConfirmDialog.js';
export { Dialog, type DialogProps } from './Dialog.js';
export { IconButton, type IconButtonProps } from './IconButton.js';
export * from './icons.js';
export { useMediaQuery } from './use-media-query.js';
