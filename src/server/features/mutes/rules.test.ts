import { describe, expect, it } from 'vitest';
import { refusal } from '../../testing/refusal.js';
import { MemoryUserLimiter } from '../../testing/memory-user-limiter.js';
import { MemoryMuteStore, MemoryRoomAccess } from './memory-store.js';
import { MuteRules } from './rules.js';

const ada = { id: '1', username: 'Ada' };

function setup(changesAllowed = 100) {
  const mutes = new MemoryMuteStore();
  const rooms = new MemoryRoomAccess();
  rooms.allowed.add('1/0').add('1/5').add('1/1:2');
  const rules = new MuteRules({ mutes, limiter: new MemoryUserLimiter(changesAllowed), rooms });
  return { rules, mutes, rooms };
}

describe('mutes', () => {
  it('list the muted rooms, sorted, and say whether a change changed anything', async () => {
    const { rules } = setup();
    expect(await rules.mute(ada, '5')).toEqual({ muted: { roomIds: ['5'] }, changed: true });
    expect(await rules.mute(ada, '1:2')).toEqual({
      muted: { roomIds: ['1:2', '5'] },
      changed: true,
    });
    expect((await rules.mute(ada, '5')).changed).toBe(false);
    expect(await rules.unmute(ada, '5')).toEqual({ muted: { roomIds: ['1:2'] }, changed: true });
    expect((await rules.unmute(ada, '5')).changed).toBe(false);
    expect(await rules.list(ada)).toEqual({ roomIds: ['1:2'] });
  });

  it('mute only rooms the user may use, and forget a room left', async () => {
    const { rules, rooms } = setup();
    expect((await refusal(rules.mute(ada, '9'))).code).toBe('forbidden');
    await rules.mute(ada, '5');
    rooms.allowed.delete('1/5');
    // Unmuting a room left since is still possible; leaving forgets it anyway.
    await rules.forget(ada.id, '5');
    expect(await rules.list(ada)).toEqual({ roomIds: [] });
  });

  it('count every change per user, refused ones included', async () => {
    const { rules } = setup(2);
    await rules.mute(ada, '5');
    await rules.mute(ada, '9').catch(() => undefined);
    expect(await refusal(rules.unmute(ada, '5'))).toMatchObject({
      code: 'rate_limited',
      retryAfterS: 60,
      message: 'you are muting and unmuting too fast; wait 60 s',
    });
  });
});
