/** The storage interface in memory, for the rules' unit tests. */
import type { FileStorage, StoredFile } from './ports.js';

export class MemoryFileStorage implements FileStorage {
  readonly files = new Map<string, { file: StoredFile; bytes: Buffer; thumbnail: Buffer | null }>();

  async put(file: StoredFile, bytes: Buffer, thumbnail: Buffer | null): Promise<void> {
    this.files.set(file.id, { file: { ...file }, bytes, thumbnail });
  }

  async describe(fileId: string) {
    const kept = this.files.get(fileId);
    return kept ? { ...kept.file } : null;
  }

  async attach(fileId: string, messageId: string) {
    const kept = this.files.get(fileId);
    if (!kept || kept.file.messageId !== null) return false;
    kept.file.messageId = messageId;
    return true;
  }

  async read(fileId: string) {
    const kept = this.files.get(fileId);
    if (!kept) return null;
    const { bytes } = kept;
    return (async function* () {
      yield bytes;
    })();
  }

  async thumbnail(fileId: string) {
    return this.files.get(fileId)?.thumbnail ?? null;
  }

  async delete(fileId: string) {
    this.files.delete(fileId);
  }
}
