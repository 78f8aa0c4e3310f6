import { describe, expect, it } from 'vitest';
import { CLIENT_MESSAGE_ID_PATTERN } from '../../../protocol/limits.js';
import { newClientId } from './client-ids.js';

describe('newClientId', () => {
  it('makes ids the server accepts, a new one each time', () => {
    const ids = Array.from({ length: 200 }, newClientId);
    for (const id of ids) expect(id).toMatch(CLIENT_MESSAGE_ID_PATTERN);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
