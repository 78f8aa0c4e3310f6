/**
 * A message's files under its text: images as their server-made thumbnails, opened full size in
 * a viewer loaded when first needed; other files as links that download them.
 */
import { Suspense, lazy, useState } from 'react';
import { fileUrl, thumbnailUrl, type FileRef } from '../../../protocol/index.js';
import { useSelector } from '../../core/store/index.js';
import type { MessageExtraProps } from '../messages/index.js';
import { selectTimeline, type WithTimelines } from '../messages/index.js';
import { formatBytes } from './upload.js';

const ImageViewer = lazy(() => import('./ImageViewer.js'));

const NO_FILES: FileRef[] = [];

export function MessageFiles({ roomId, messageId }: MessageExtraProps) {
  const files = useSelector(
    (state: WithTimelines) =>
      selectTimeline(state, roomId).messages.find((message) => message.id === messageId)?.files ??
      NO_FILES,
  );
  const [viewing, setViewing] = useState<FileRef | null>(null);
  if (files.length === 0) return null;
  return (
    <div className="message-files">
      {files.map((file) =>
        file.image ? (
          <button
            key={file.id}
            type="button"
            className="message-files__image"
            onClick={() => setViewing(file)}
            aria-label={`Open image ${file.name}`}
          >
            <img
              src={thumbnailUrl(roomId, file.id)}
              alt={file.name}
              loading="lazy"
              width={Math.min(240, file.image.width)}
              style={{ aspectRatio: `${file.image.width} / ${file.image.height}` }}
            />
          </button>
        ) : (
          <a
            key={file.id}
            className="message-files__file"
            href={fileUrl(roomId, file.id)}
            download={file.name}
          >
            <bdi>{file.name}</bdi>
            <span className="message-files__size">{formatBytes(file.size)}</span>
          </a>
        ),
      )}
      {viewing && (
        <Suspense fallback={null}>
          <ImageViewer roomId={roomId} file={viewing} onClose={() => setViewing(null)} />
        </Suspense>
      )}
    </div>
  );
}
