/**
 * An image at full size over the screen, in its own chunk (loaded at the first click on a
 * thumbnail). Escape, the close button or a click outside closes it (the dialog's own keys).
 */
import { fileUrl, type FileRef } from '../../../protocol/index.js';
import { Dialog } from '../../core/ui/index.js';

export default function ImageViewer({
  roomId,
  file,
  onClose,
}: {
  roomId: string;
  file: FileRef;
  onClose: () => void;
}) {
  const url = fileUrl(roomId, file.id);
  return (
    <Dialog label={file.name} onClose={onClose} className="image-viewer">
      <img className="image-viewer__image" src={url} alt={file.name} />
      <div className="dialog__actions">
        <a className="button" href={url} download={file.name}>
          Download
        </a>
        <button type="button" className="button button--primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
