import { describe, expect, it } from 'vitest';
import { parseServerEvent } from './server-events.js';

const message = { id: '1700000000000000-a1', from: '1', date: 1, message: 'hi', roomId: '0' };

describe('server events checked with the shared schemas', () => {
  it('hands on a well-formed payload without the fields its schema does not know', () => {
    expect(parseServerEvent('message', { ...message, secret: 'x' })).toEqual(message);
    expect(
      parseServerEvent('typing', { roomId: '0', userId: '2', username: 'Mary', typing: true }),
    ).toEqual({ roomId: '0', userId: '2', username: 'Mary', typing: true });
  });

  it('drops a malformed payload', () => {
    expect(parseServerEvent('message', { ...message, date: '1' })).toBeNull();
    expect(parseServerEvent('room.read', { roomId: '0' })).toBeNull();
    expect(parseServerEvent('user.connected', 'Mary')).toBeNull();
  });

  it('keeps the well-formed entries of a batch, in order', () => {
    const second = { ...message, id: '1700000000000001-b2' };
    expect(parseServerEvent('message.batch', [message, { id: 3 }, second])).toEqual([
      message,
      second,
    ]);
    expect(parseServerEvent('message.batch', message)).toBeNull();
  });
});
