import { describe, expect, it } from 'vitest';
import { hashOfRoom, roomIdFromHash } from './room-address.js';

describe('room address', () => {
  it('round-trips private and group room ids', () => {
    for (const roomId of ['2:5', '17', 'g:7']) {
      expect(roomIdFromHash(hashOfRoom(roomId))).toBe(roomId);
    }
  });

  it('leaves General out of the address', () => {
    expect(hashOfRoom('0')).toBe('');
    expect(roomIdFromHash('')).toBeNull();
  });

  it('ignores fragments that do not name a room', () => {
    expect(roomIdFromHash('#top')).toBeNull();
    expect(roomIdFromHash('#room=')).toBeNull();
    expect(roomIdFromHash('#room=%E0%A4%A')).toBeNull();
  });
});
