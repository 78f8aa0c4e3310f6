import { describe, expect, it } from 'vitest';
import { newServerId } from '../kernel/server-id.js';
import {
  decodeSeedEnvelope,
  encodeSeedEnvelope,
  isOwnEnvelope,
  isOwnServerId,
} from './seed-envelope.js';

describe('seed envelopes', () => {
  it('tells our own envelopes apart without parsing them, and agrees with the parsed serverId', () => {
    const ours = encodeSeedEnvelope(newServerId(), 'message', { roomId: '0', message: 'hi' });
    expect(isOwnEnvelope(ours)).toBe(true);
    expect(isOwnServerId(decodeSeedEnvelope(ours)?.serverId)).toBe(true);

    const foreign = [
      JSON.stringify({ serverId: 4242, type: 'message', data: {} }),
      JSON.stringify({ serverId: 'a-seed-server', type: 'message', data: {} }),
      JSON.stringify({ serverId: 'x', type: 'message', data: { text: 'redis-chat-ts:' } }),
    ];
    expect(foreign.map(isOwnEnvelope)).toEqual([false, false, false]);
    // Written in another key order, it is not skipped unparsed: the parsed serverId decides.
    const reordered = JSON.stringify({ type: 'message', serverId: 'redis-chat-ts:x', data: {} });
    expect(isOwnEnvelope(reordered)).toBe(false);
    expect(isOwnServerId(decodeSeedEnvelope(reordered)?.serverId)).toBe(true);
  });
});
