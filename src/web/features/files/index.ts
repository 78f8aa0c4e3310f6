/** Files and images on messages: attaching (button, drop, paste), thumbnails, the viewer. */
export { AttachmentTray, filesOf } from './AttachmentTray.js';
export { MessageFiles } from './MessageFiles.js';
export { formatBytes, uploadFile } from './upload.js';
export { useAttachments, type Attachments, type PendingFile } from './use-attachments.js';
