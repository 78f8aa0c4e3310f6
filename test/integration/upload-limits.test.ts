/**
 * Uploads are limited in number, not only in bytes: each one counts at least
 * UPLOAD_MIN_CHARGE_BYTES against the daily bytes, and a user may start only
 * UPLOADS_PER_USER_PER_MINUTE of them a minute, both counted in Redis over both instances.
 * Without them a day's bytes in 1-byte files would be millions of files, each kept in Redis.
 */
import { describe, expect, it } from 'vitest';
import { type SignedIn, twoInstances } from '../support/two-instances.js';

const UPLOAD_BYTES_PER_DAY = 1_000_000;
const UPLOAD_MIN_CHARGE_BYTES = 250_000;
const UPLOADS_PER_MINUTE = 5;

const instances = twoInstances({
  UPLOAD_BYTES_PER_DAY: String(UPLOAD_BYTES_PER_DAY),
  UPLOAD_MIN_CHARGE_BYTES: String(UPLOAD_MIN_CHARGE_BYTES),
  UPLOADS_PER_USER_PER_MINUTE: String(UPLOADS_PER_MINUTE),
});

/** Uploads a 1-byte file as the browser does: the file is the body. */
async function uploadTiny(person: SignedIn) {
  const response = await fetch(`${person.http.baseUrl}/room/0/files?name=tiny.txt`, {
    method: 'POST',
    headers: { cookie: person.http.cookie, 'content-type': 'text/plain' },
    body: 'x',
  });
  const body = (await response.json()) as { code?: string; message?: string };
  return { status: response.status, retryAfter: Number(response.headers.get('retry-after')), body };
}

describe('upload limits across two instances', () => {
  it('charges a tiny file the minimum, and refuses uploads past the count per minute', async () => {
    const onA = await instances.on(instances.a, 'Joe');
    const onB = await instances.on(instances.b, 'Joe');
    const sides = [onA, onB];

    // 1 MB a day at 250 kB at least each: four 1-byte files, whichever instance takes them.
    const accepted = [];
    for (let i = 0; i < UPLOAD_BYTES_PER_DAY / UPLOAD_MIN_CHARGE_BYTES; i++) {
      accepted.push((await uploadTiny(sides[i % 2]!)).status);
    }
    expect(accepted).toEqual([201, 201, 201, 201]);
    const overQuota = await uploadTiny(onB);
    expect(overQuota.status).toBe(429);
    expect(overQuota.body).toMatchObject({
      code: 'quota_exceeded',
      message: expect.stringContaining(`a file counts at least ${UPLOAD_MIN_CHARGE_BYTES} bytes`),
    });
    expect(overQuota.retryAfter).toBeGreaterThan(0);

    // That was the fifth upload of the minute, refused or not: the sixth is refused for its count.
    const tooFast = await uploadTiny(onA);
    expect(tooFast.status).toBe(429);
    expect(tooFast.body).toMatchObject({
      code: 'rate_limited',
      message: expect.stringContaining(
        `uploading files too fast: at most ${UPLOADS_PER_MINUTE} a minute`,
      ),
    });
    expect(tooFast.retryAfter).toBeGreaterThan(0);
    expect(tooFast.retryAfter).toBeLessThanOrEqual(60);
  });
});
