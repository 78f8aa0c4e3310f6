/** Moderation in the web client: what an administrator (the sign-in's `admin: true`) may do. */
export { BanDialog, type BanDialogProps } from './BanDialog.js';
export { ModerationActionsProvider, useModerationActions } from './moderation-context.js';
export { ModerationEffects } from './moderation-effects.js';
