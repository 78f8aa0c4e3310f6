/**
 * Files across two server processes on one Redis: uploaded on one instance, attached to a message
 * and downloaded on the other; served only to the room's readers, as what they are and never as
 * active content; limited in size and per user and day; deleted with their message.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, FileRef, RoomSummary } from '../../src/protocol/index.js';
import { fileUrl, thumbnailUrl } from '../../src/protocol/index.js';
import { collect } from '../support/clients.js';
import { type SignedIn, emitWithAck, twoInstances } from '../support/two-instances.js';
import { waitFor } from '../support/wait.js';

const MAX_UPLOAD_BYTES = 300_000;
const UPLOAD_BYTES_PER_DAY = 1_000_000;

const instances = twoInstances({
  MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
  UPLOAD_BYTES_PER_DAY: String(UPLOAD_BYTES_PER_DAY),
});
const on = (server: 'a' | 'b', username: string) => instances.on(instances[server], username);
const emit = emitWithAck;

/** Uploads bytes as the browser does: the file is the body. */
async function upload(person: SignedIn, roomId: string, name: string, type: string, bytes: Buffer) {
  const response = await fetch(
    `${person.http.baseUrl}/room/${encodeURIComponent(roomId)}/files?name=${encodeURIComponent(name)}`,
    {
      method: 'POST',
      headers: { cookie: person.http.cookie, 'content-type': type },
      body: new Uint8Array(bytes),
    },
  );
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as unknown };
}

async function download(person: SignedIn, path: string) {
  const response = await fetch(`${person.http.baseUrl}${path}`, {
    headers: { cookie: person.http.cookie },
  });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#3b5bdb' } })
    .png()
    .toBuffer();

describe('files across two instances', () => {
  it('uploads on one, delivers the message with the file, and serves it on the other', async () => {
    const mary = await on('a', 'Mary');
    const joe = await on('b', 'Joe');
    const image = await png(800, 600);
    const uploaded = await upload(mary, '0', 'Plan ✓.png', 'application/x-anything', image);
    expect(uploaded.status).toBe(201);
    const ref = uploaded.body as FileRef;
    expect(ref).toMatchObject({
      name: 'Plan ✓.png',
      type: 'image/png', // from the bytes, not from what the client said
      size: image.length,
      image: { width: 800, height: 600 },
    });

    // Waiting to be attached: its uploader may fetch it, nobody else.
    expect((await download(mary, fileUrl('0', ref.id))).status).toBe(200);
    expect((await download(joe, fileUrl('0', ref.id))).status).toBe(404);

    const live = collect(joe.socket, 'message');
    const ack = await emit<{ message: ChatMessage }>(mary.socket, 'message', {
      roomId: '0',
      message: 'The plan',
      files: [ref.id],
    });
    expect(ack.ok).toBe(true);
    await waitFor('the message on the other instance', () =>
      live.some((message) => message.message === 'The plan'),
    );
    const delivered = live.find((message) => message.message === 'The plan')!;
    expect(delivered.files).toEqual([ref]);
    // History carries it too.
    const page = await joe.http.get<ChatMessage[]>('/room/0/messages?offset=0&size=5');
    expect(page.body.find((message) => message.id === delivered.id)?.files).toEqual([ref]);

    const file = await download(joe, fileUrl('0', ref.id));
    expect(file.status).toBe(200);
    expect(file.bytes.equals(image)).toBe(true);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('content-disposition')).toBe(
      `inline; filename="Plan _.png"; filename*=UTF-8''Plan%20%E2%9C%93.png`,
    );
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-security-policy')).toMatch(/^sandbox;/);

    const thumbnail = await download(joe, thumbnailUrl('0', ref.id));
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    const size = await sharp(thumbnail.bytes).metadata();
    expect([size.format, size.width, size.height]).toEqual(['webp', 320, 240]);

    // Only one's own waiting uploads can be attached: not an unknown id, not Mary's for Joe.
    const again = await emit(mary.socket, 'message', {
      roomId: '0',
      message: 'x',
      files: ['A'.repeat(22)],
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const stolen = await emit(joe.socket, 'message', {
      roomId: '0',
      message: 'x',
      files: [ref.id],
    });
    expect(stolen).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // Deleting the message deletes the file, on every instance.
    expect((await emit(mary.socket, 'message.delete', { roomId: '0', id: delivered.id })).ok).toBe(
      true,
    );
    await waitFor(
      'the file gone',
      async () => (await download(joe, fileUrl('0', ref.id))).status === 404,
    );
    expect((await download(mary, thumbnailUrl('0', ref.id))).status).toBe(404);
    const after = await joe.http.get<ChatMessage[]>('/room/0/messages?offset=0&size=5');
    expect(after.body.find((message) => message.id === delivered.id)).toMatchObject({
      deleted: true,
    });
    expect(after.body.find((message) => message.id === delivered.id)?.files).toBeUndefined();
    expect(await instances.redis.client.keys(`*${ref.id}*`)).toEqual([]);
  });

  it('serves active content only as a download, in a sandbox', async () => {
    const mary = await on('a', 'Mary');
    const joe = await on('b', 'Joe');
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    const html = Buffer.from('<!doctype html><script>alert(document.cookie)</script>');
    const refs: FileRef[] = [];
    for (const [name, type, bytes] of [
      ['x.svg', 'image/svg+xml', svg],
      ['x.html', 'text/html', html],
      ['fake.png', 'image/png', html], // a PNG by its name and type only
    ] as const) {
      const uploaded = await upload(mary, '0', name, type, bytes);
      expect(uploaded.status).toBe(201);
      refs.push(uploaded.body as FileRef);
    }
    expect(refs.map((ref) => [ref.type, ref.image])).toEqual([
      ['image/svg+xml', undefined],
      ['text/html', undefined],
      ['image/png', undefined],
    ]);
    const ack = await emit(mary.socket, 'message', {
      roomId: '0',
      message: 'Files',
      files: refs.map((ref) => ref.id),
    });
    expect(ack.ok).toBe(true);
    for (const ref of refs) {
      const file = await download(joe, fileUrl('0', ref.id));
      expect(file.status).toBe(200);
      expect(file.headers.get('content-disposition')).toMatch(/^attachment; /);
      expect(file.headers.get('x-content-type-options')).toBe('nosniff');
      expect(file.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/);
      expect((await download(joe, thumbnailUrl('0', ref.id))).status).toBe(404);
    }
  });

  it('answers 404 to outsiders of a private group, like any of its other routes', async () => {
    const pablo = await on('a', 'Pablo');
    const joe = await on('b', 'Joe');
    const room = (
      await pablo.http.post<RoomSummary>('/rooms', { name: 'Files only', visibility: 'private' })
    ).body;
    const ref = (
      await upload(pablo, room.id, 'notes.pdf', 'application/pdf', Buffer.from('%PDF-1.4\n'))
    ).body as FileRef;
    expect(
      (await emit(pablo.socket, 'message', { roomId: room.id, message: 'notes', files: [ref.id] }))
        .ok,
    ).toBe(true);
    const outsider = await download(joe, fileUrl(room.id, ref.id));
    expect(outsider.status).toBe(404);
    expect(JSON.parse(outsider.bytes.toString())).toMatchObject({ code: 'not_found' });
    // Nor through another room's path.
    expect((await download(joe, fileUrl('0', ref.id))).status).toBe(404);
    expect((await upload(joe, room.id, 'x.txt', 'text/plain', Buffer.from('hi'))).status).toBe(404);
    const member = await download(pablo, fileUrl(room.id, ref.id));
    expect([member.status, member.headers.get('content-type')]).toEqual([200, 'application/pdf']);
  });

  it('refuses a file over MAX_UPLOAD_BYTES (413) and bytes over the daily quota (429)', async () => {
    const alex = await on('a', 'Alex');
    const tooLarge = await upload(
      alex,
      '0',
      'big.bin',
      'application/octet-stream',
      Buffer.alloc(MAX_UPLOAD_BYTES + 1),
    );
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({
      code: 'too_large',
      message: expect.stringContaining(String(MAX_UPLOAD_BYTES)),
    });
    const empty = await upload(alex, '0', 'empty.txt', 'text/plain', Buffer.alloc(0));
    expect(empty).toMatchObject({ status: 400, body: { code: 'bad_request' } });
    const badName = await upload(alex, '0', 'a\u202Eb.txt', 'text/plain', Buffer.from('x'));
    expect(badName).toMatchObject({ status: 400, body: { code: 'bidi_controls' } });

    // The quota counts over both instances: 3 × 290 kB fit in 1 MB, the fourth does not.
    const alexOnB = await on('b', 'Alex');
    const statuses: number[] = [];
    for (const person of [alex, alexOnB, alex]) {
      statuses.push(
        (
          await upload(
            person,
            '0',
            'part.bin',
            'application/octet-stream',
            Buffer.alloc(290_000, 1),
          )
        ).status,
      );
    }
    expect(statuses).toEqual([201, 201, 201]);
    const refused = await upload(
      alexOnB,
      '0',
      'part.bin',
      'application/octet-stream',
      Buffer.alloc(290_000, 1),
    );
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'quota_exceeded' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // A refused upload does not count: a small one still fits.
    expect(
      (await upload(alex, '0', 'small.txt', 'text/plain', Buffer.alloc(100_000, 1))).status,
    ).toBe(201);
  });
});
