/**
 * Sending a file to the server: the route table's upload route, with the file itself as the body
 * (the browser streams it; no multipart). A refusal rejects with the server's reason.
 */
import { pathOf, routes, type FileRef } from '../../../protocol/index.js';

export async function uploadFile(roomId: string, file: File): Promise<FileRef> {
  const url = `${pathOf(routes.uploadFile, { id: roomId })}?name=${encodeURIComponent(file.name || 'file')}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': file.type || 'application/octet-stream' },
      body: file,
    });
  } catch {
    throw new Error('The server cannot be reached. Check your connection.');
  }
  const body = (await response.json().catch(() => null)) as (FileRef & { message?: string }) | null;
  if (!response.ok || !body) {
    throw new Error(body?.message ?? `The server answered ${response.status}.`);
  }
  return body;
}

/** "2.4 MB", "820 KB", "12 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
