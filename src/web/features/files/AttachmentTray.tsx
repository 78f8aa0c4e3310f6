/**
 * Above the message box: the button that picks files, and the files chosen, dropped or pasted
 * for the next message, each with its upload's state and a button to take it off.
 */
import { useRef } from 'react';
import { FILES_PER_MESSAGE_MAX } from '../../../protocol/index.js';
import { CloseIcon, IconButton, PaperclipIcon } from '../../core/ui/index.js';
import { formatBytes } from './upload.js';
import type { Attachments } from './use-attachments.js';

export function AttachmentTray({ attachments }: { attachments: Attachments }) {
  const input = useRef<HTMLInputElement>(null);
  const { files, add, remove } = attachments;
  return (
    <div className="attachments">
      <IconButton
        label="Attach files"
        onClick={() => input.current?.click()}
        disabled={files.length >= FILES_PER_MESSAGE_MAX}
      >
        <PaperclipIcon />
      </IconButton>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label="Files to attach"
        onChange={(event) => {
          add([...(event.target.files ?? [])]);
          event.target.value = '';
        }}
      />
      {files.length > 0 && (
        <ul className="attachments__list" aria-label="Files for the next message">
          {files.map((file) => (
            <li key={file.key} className={`attachment attachment--${file.status}`}>
              <span className="attachment__name">
                <bdi>{file.name}</bdi>
              </span>
              <span
                className="attachment__state"
                role={file.status === 'failed' ? 'alert' : 'status'}
              >
                {file.status === 'uploading'
                  ? 'Uploading…'
                  : file.status === 'failed'
                    ? `Not uploaded. ${file.error ?? ''}`
                    : formatBytes(file.size)}
              </span>
              <IconButton
                label={`Remove ${file.name}`}
                className="icon-button--small"
                onClick={() => remove(file.key)}
              >
                <CloseIcon width={14} height={14} />
              </IconButton>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Files from a drop or a paste, if it carries any. */
export const filesOf = (data: DataTransfer | null): File[] => [...(data?.files ?? [])];
