/** The rules of files, on the in-memory storage: no Redis, no image library. */
import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../../../protocol/models.js';
import { AppError } from '../../kernel/errors.js';
import { MemoryUserLimiter } from '../../testing/memory-user-limiter.js';
import { sniffImageType } from './images.js';
import { MemoryFileStorage } from './memory-store.js';
import type { Images } from './ports.js';
import { FileRules, cleanFileName, servedType } from './rules.js';

const ada: SessionUser = { id: '1', username: 'Ada' };
const bob: SessionUser = { id: '2', username: 'Bob' };
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

/** Images recognized by their signature, 640 × 480, with a 3-byte thumbnail. */
const fakeImages: Images = {
  inspect: async (bytes) => {
    const type = sniffImageType(bytes);
    return type ? { type, width: 640, height: 480 } : null;
  },
  thumbnail: async () => Buffer.from('thb'),
};

function setup({
  quotaBytes = 1000,
  maxUploadBytes = 100,
  minChargeBytes = 0,
  uploadsPerMinute = Infinity,
} = {}) {
  const storage = new MemoryFileStorage();
  const used = new Map<string, number>();
  const rules = new FileRules(
    {
      storage,
      images: fakeImages,
      quota: {
        consume: async (userId, bytes) => {
          const total = (used.get(userId) ?? 0) + bytes;
          used.set(userId, total);
          return total > quotaBytes ? { allowed: false, retryAfterS: 60 } : { allowed: true };
        },
        refund: async (userId, bytes) => {
          used.set(userId, (used.get(userId) ?? 0) - bytes);
        },
      },
      uploads: new MemoryUserLimiter(uploadsPerMinute),
      rooms: {
        assertCanUseRoom: async (user, roomId) => {
          if (roomId === 'secret' && user.id !== ada.id) {
            throw new AppError('not_found', `room ${roomId} does not exist`);
          }
        },
      },
    },
    {
      maxUploadBytes,
      uploadBytesPerDay: quotaBytes,
      uploadMinChargeBytes: minChargeBytes,
      uploadsPerMinute,
    },
  );
  return { rules, storage, used };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof AppError ? error.code : String(error)),
  );

describe('file rules', () => {
  it('serves inline only images recognized by their bytes, whatever the name and type say', async () => {
    const { rules } = setup();
    const image = await rules.upload(ada, '0', 'x.bin', 'application/octet-stream', PNG);
    expect(image).toMatchObject({ type: 'image/png', image: { width: 640, height: 480 } });
    const fake = await rules.upload(ada, '0', 'x.png', 'image/png', Buffer.from('<svg/>'));
    expect(fake).toMatchObject({ type: 'image/png' });
    expect(fake.image).toBeUndefined();
    expect((await rules.find(ada, '0', image.id)).disposition).toBe('inline');
    expect((await rules.find(ada, '0', fake.id)).disposition).toBe('attachment');
    expect(await codeOf(rules.thumbnailOf(ada, '0', fake.id))).toBe('not_found');
  });

  it('keeps a plain media type and replaces anything else', () => {
    expect(servedType('application/pdf', null)).toBe('application/pdf');
    expect(servedType('Text/HTML; charset=utf-8', null)).toBe('text/html');
    expect(servedType('not a type', null)).toBe('application/octet-stream');
    expect(servedType(undefined, null)).toBe('application/octet-stream');
    expect(servedType('image/svg+xml', 'image/png')).toBe('image/png');
  });

  it('keeps a file’s name without its path, and refuses names that are not plain text', () => {
    expect(cleanFileName('C:\\Users\\ada\\report.pdf')).toBe('report.pdf');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(() => cleanFileName('..')).toThrow(/file name/);
    expect(() => cleanFileName('a\u202Egnp.exe')).toThrow(AppError);
    expect(() => cleanFileName('a\nb')).toThrow(AppError);
  });

  it('refuses empty and oversized files, and bytes over the quota without counting them', async () => {
    const { rules, used } = setup({ quotaBytes: 150, maxUploadBytes: 100 });
    expect(await codeOf(rules.upload(ada, '0', 'a', 'text/plain', Buffer.alloc(0)))).toBe(
      'bad_request',
    );
    expect(await codeOf(rules.upload(ada, '0', 'a', 'text/plain', Buffer.alloc(101)))).toBe(
      'too_large',
    );
    expect(await codeOf(rules.upload(ada, '0', 'a', 'text/plain', Buffer.alloc(100)))).toBe('ok');
    expect(await codeOf(rules.upload(ada, '0', 'a', 'text/plain', Buffer.alloc(60)))).toBe(
      'quota_exceeded',
    );
    expect(used.get(ada.id)).toBe(100);
    expect(await codeOf(rules.upload(ada, '0', 'a', 'text/plain', Buffer.alloc(50)))).toBe('ok');
    // Another user's quota is their own.
    expect(await codeOf(rules.upload(bob, '0', 'a', 'text/plain', Buffer.alloc(100)))).toBe('ok');
  });

  it('counts a small file as the minimum charge, and refuses uploads past the count per minute', async () => {
    const { rules, used } = setup({ quotaBytes: 100, minChargeBytes: 40, uploadsPerMinute: 3 });
    const tiny = () => codeOf(rules.upload(ada, '0', 'a', 'text/plain', Buffer.alloc(1)));
    expect([await tiny(), await tiny()]).toEqual(['ok', 'ok']);
    expect(used.get(ada.id)).toBe(80);
    // A third 1-byte file would make 120 charged bytes of 100.
    expect(await tiny()).toBe('quota_exceeded');
    expect(used.get(ada.id)).toBe(80);
    // The fourth upload of the minute is refused before any byte is counted.
    expect(await tiny()).toBe('rate_limited');
    expect(used.get(ada.id)).toBe(80);
    expect(await codeOf(rules.upload(bob, '0', 'a', 'text/plain', Buffer.alloc(1)))).toBe('ok');
  });

  it('shows a waiting upload to its owner only, and an attached one to every reader of the room', async () => {
    const { rules } = setup();
    const ref = await rules.upload(ada, '0', 'notes.txt', 'text/plain', Buffer.from('hi'));
    expect(await codeOf(rules.find(bob, '0', ref.id))).toBe('not_found');
    expect(await rules.attach(ada, '0', [ref.id], 'm1')).toEqual([ref]);
    expect((await rules.find(bob, '0', ref.id)).file.messageId).toBe('m1');
    // Only through its own room.
    expect(await codeOf(rules.find(bob, '5', ref.id))).toBe('not_found');
  });

  it('attaches only the author’s own uploads of that room', async () => {
    const { rules } = setup();
    const mine = await rules.upload(ada, 'secret', 'a.txt', 'text/plain', Buffer.from('a'));
    expect(await codeOf(rules.upload(bob, 'secret', 'b.txt', 'text/plain', Buffer.from('b')))).toBe(
      'not_found',
    );
    expect(await codeOf(rules.attach(bob, 'secret', [mine.id], 'm1'))).toBe('not_found');
    expect(await codeOf(rules.attach(ada, '0', [mine.id], 'm1'))).toBe('not_found');
    const five = await Promise.all(
      [1, 2, 3, 4, 5].map(() => rules.upload(ada, '0', 'f', 'text/plain', Buffer.from('x'))),
    );
    expect(
      await codeOf(
        rules.attach(
          ada,
          '0',
          five.map((ref) => ref.id),
          'm2',
        ),
      ),
    ).toBe('bad_request');
  });

  it('deletes a deleted message’s files', async () => {
    const { rules, storage } = setup();
    const ref = await rules.upload(ada, '0', 'a.png', 'image/png', PNG);
    const refs = await rules.attach(ada, '0', [ref.id], 'm1');
    await rules.deleteAll('m1', refs);
    expect(storage.files.size).toBe(0);
    expect(await codeOf(rules.find(ada, '0', ref.id))).toBe('not_found');
  });

  it('attaches a file to one message: another send may name it only as a retry', async () => {
    const { rules } = setup();
    const ref = await rules.upload(ada, '0', 'a.png', 'image/png', PNG);
    await rules.attach(ada, '0', [ref.id], 'm1', true);
    expect(await codeOf(rules.attach(ada, '0', [ref.id], 'm2'))).toBe('conflict');
    // A retry names it again; the store then answers with m1 and m2 is never stored.
    expect(await rules.attach(ada, '0', [ref.id], 'm2', true)).toHaveLength(1);
  });

  it('keeps a file when a message that only names it is deleted', async () => {
    const { rules, storage } = setup();
    const ref = await rules.upload(ada, '0', 'a.png', 'image/png', PNG);
    const refs = await rules.attach(ada, '0', [ref.id], 'm1', true);
    await rules.deleteAll('m2', refs);
    expect(storage.files.size).toBe(1);
    expect((await rules.find(ada, '0', ref.id)).file.id).toBe(ref.id);
  });
});
