import { describe, expect, it } from 'vitest';
import { MemoryMentionDirectory } from './memory-store.js';
import { mentionedUsernames, resolveMentions } from './rules.js';

const directory = new MemoryMentionDirectory(
  { Ada: '1', Bruno: '2', Chen: '3', Dara: '4' },
  { '7': ['1', '3'] },
);

describe('mentions', () => {
  it('find each @name once, ignoring e-mail addresses and trailing dots', () => {
    expect(mentionedUsernames('@Mary hi @Joe. and @Mary again, mail me@example.com')).toEqual([
      'Mary',
      'Joe',
    ]);
    expect(mentionedUsernames('no mentions here')).toEqual([]);
  });

  it('count for anyone named in General, and not for names nobody has', async () => {
    expect(await resolveMentions(directory, '0', '@Ada @Dara @Nobody')).toEqual(['1', '4']);
  });

  it('count in a private room only for its two members', async () => {
    expect(await resolveMentions(directory, '1:2', '@Ada @Bruno @Chen')).toEqual(['1', '2']);
  });

  it('count in a group only for its members', async () => {
    expect(await resolveMentions(directory, '7', '@Ada @Bruno @Chen')).toEqual(['1', '3']);
  });

  it('look up only the first `max` distinct names of a message', async () => {
    const looked: string[] = [];
    const counting = {
      idOfUsername: (name: string) => {
        looked.push(name);
        return directory.idOfUsername(name);
      },
      isGroupMember: (roomId: string, userId: string) => directory.isGroupMember(roomId, userId),
    };
    const many = Array.from({ length: 1000 }, (_, i) => `@user${i}`).join(' ');
    expect(await resolveMentions(counting, '0', `@Ada @Bruno ${many}`, 20)).toEqual(['1', '2']);
    expect(looked).toHaveLength(20);
    expect(await resolveMentions(counting, '0', `${many} @Ada`, 20)).toEqual([]);
  });

  it('are nothing without an @name', async () => {
    expect(await resolveMentions(directory, '0', 'hello Ada')).toEqual([]);
  });
});
