/**
 * The files waiting to go with the next message: each is uploaded as soon as it is chosen,
 * dropped or pasted, so that sending only names the ids. Taken (and cleared) when the message
 * is sent.
 */
import { useCallback, useState } from 'react';
import { FILES_PER_MESSAGE_MAX, type FileRef } from '../../../protocol/index.js';
import { uploadFile } from './upload.js';

export interface PendingFile {
  key: number;
  name: string;
  size: number;
  status: 'uploading' | 'ready' | 'failed';
  ref?: FileRef;
  error?: string;
}

let keys = 0;

export function useAttachments(roomId: string) {
  const [files, setFiles] = useState<PendingFile[]>([]);

  const update = (key: number, change: Partial<PendingFile>) =>
    setFiles((list) => list.map((file) => (file.key === key ? { ...file, ...change } : file)));

  const add = useCallback(
    (chosen: readonly File[]) => {
      setFiles((list) => {
        const room = Math.max(0, FILES_PER_MESSAGE_MAX - list.length);
        const added = chosen.slice(0, room).map((file) => ({ file, key: ++keys }));
        for (const { file, key } of added) {
          uploadFile(roomId, file).then(
            (ref) => update(key, { status: 'ready', ref }),
            (error: unknown) =>
              update(key, {
                status: 'failed',
                error: error instanceof Error ? error.message : 'The upload failed.',
              }),
          );
        }
        return [
          ...list,
          ...added.map(({ file, key }) => ({
            key,
            name: file.name || 'file',
            size: file.size,
            status: 'uploading' as const,
          })),
        ];
      });
    },
    [roomId],
  );

  const remove = useCallback(
    (key: number) => setFiles((list) => list.filter((file) => file.key !== key)),
    [],
  );

  /** The uploaded files, for the message being sent; the list empties. */
  const take = useCallback((): FileRef[] => {
    const ready = files.flatMap((file) => (file.ref ? [file.ref] : []));
    setFiles([]);
    return ready;
  }, [files]);

  const busy = files.some((file) => file.status === 'uploading');
  const ready = files.some((file) => file.status === 'ready');
  return { files, add, remove, take, busy, ready };
}

export type Attachments = ReturnType<typeof useAttachments>;
