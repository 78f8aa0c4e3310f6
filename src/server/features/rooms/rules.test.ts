import { describe, expect, it } from 'vitest';
import { refusal } from '../../testing/refusal.js';
import { privateRoomId, privateRoomMembers } from '../../../protocol/room-ids.js';
import { DomainEvents } from '../../kernel/domain-events.js';
import {
  MemoryInviteCooldowns,
  MemoryRoomActivity,
  MemoryRoomStore,
  MemoryUsers,
} from './memory-store.js';
import { MemoryUserLimiter } from '../../testing/memory-user-limiter.js';
import { RoomRules } from './rules.js';

function setup({ creations = Infinity, invites = Infinity } = {}) {
  const store = new MemoryRoomStore();
  const cooldowns = new MemoryInviteCooldowns();
  const users = new MemoryUsers(['Ada', 'Bruno', 'Chen', 'Dara']);
  const activity = new MemoryRoomActivity();
  const events = new DomainEvents();
  const left: { roomId: string; userId: string }[] = [];
  const messagesLeft = { count: 0 };
  events.on('room.left', (change) => {
    left.push(change);
  });
  const rules = new RoomRules({
    rooms: store,
    groups: store,
    directory: store,
    users,
    online: users,
    activity,
    events,
    limits: {
      creations: new MemoryUserLimiter(creations, 3600),
      invites: new MemoryUserLimiter(invites, 3600),
    },
    cooldowns,
    content: {
      // Three pages' worth of messages, then none: the delete asks until a page comes short.
      removeMessages: async (_roomId: string, pageSize: number) => {
        const removed = Math.min(messagesLeft.count, pageSize);
        messagesLeft.count -= removed;
        return removed;
      },
    },
  });
  const user = (name: string) => ({ id: users.id(name), username: name });
  return {
    rules,
    store,
    users,
    activity,
    left,
    cooldowns,
    messagesLeft,
    ada: user('Ada'),
    bruno: user('Bruno'),
    chen: user('Chen'),
  };
}

describe('private room ids', () => {
  it('put the smaller id first, numerically', () => {
    expect(privateRoomId('10', '9')).toBe('9:10');
    expect(privateRoomMembers('9:10')).toEqual({ low: '9', high: '10' });
  });

  it.each(['10:9', '3:3', '0:1', '1', 'a:b', '1:2:3'])('reject %s', (id) => {
    expect(privateRoomMembers(id)).toBeNull();
  });
});

describe('who may use a room', () => {
  it('lets everyone use General', async () => {
    const { rules, chen } = setup();
    await expect(rules.assertCanUseRoom(chen, '0')).resolves.toBeUndefined();
  });

  it('keeps a private room to its two members', async () => {
    const { rules, ada, bruno, chen } = setup();
    await expect(rules.assertCanUseRoom(ada, '1:2')).resolves.toBeUndefined();
    await expect(rules.assertCanUseRoom(bruno, '1:2')).resolves.toBeUndefined();
    expect(await refusal(rules.assertCanUseRoom(chen, '1:2'))).toMatchObject({
      code: 'forbidden',
      message: 'room 1:2 is a private room of other users',
    });
  });

  it('answers "does not exist" for a private room with a user who does not exist', async () => {
    const { rules, ada } = setup();
    expect(await refusal(rules.assertCanUseRoom(ada, '1:99'))).toMatchObject({ code: 'not_found' });
  });

  it('keeps a group to its members', async () => {
    const { rules, ada, bruno } = setup();
    const room = await rules.create(ada, 'Books', 'public');
    await expect(rules.assertCanUseRoom(ada, room.id)).resolves.toBeUndefined();
    expect(await refusal(rules.assertCanUseRoom(bruno, room.id))).toMatchObject({
      code: 'not_member',
      message: `you are not a member of room ${room.id}`,
    });
    expect(await refusal(rules.assertCanUseRoom(bruno, '999'))).toMatchObject({
      code: 'not_found',
    });
  });
});

describe('private rooms', () => {
  it('open only between the caller and another existing user', async () => {
    const { rules, ada, chen } = setup();
    expect(await rules.openPrivateRoom(ada, '1', '2')).toEqual({
      id: '1:2',
      names: ['Ada', 'Bruno'],
      kind: 'direct',
    });
    expect((await refusal(rules.openPrivateRoom(chen, '1', '2'))).code).toBe('forbidden');
    expect((await refusal(rules.openPrivateRoom(ada, '1', '1'))).code).toBe('bad_request');
    expect(await refusal(rules.openPrivateRoom(ada, '1', '99'))).toMatchObject({
      code: 'not_found',
      message: 'user 99 does not exist',
    });
  });

  it('show up in both members’ lists once they hold a message', async () => {
    const { rules, activity, ada, bruno } = setup();
    await rules.openPrivateRoom(ada, '1', '2');
    expect((await rules.roomsOf(bruno, bruno.id)).map((r) => r.id)).toEqual(['0']);
    const first = { id: '1-a', from: '1', date: 1, message: 'hi', roomId: '1:2' };
    activity.newest.set('1:2', first);
    activity.unread.set('2/1:2', { unread: 1, unreadMentions: 0, lastReadId: null });
    const rooms = await rules.roomsOf(bruno, bruno.id);
    expect(rooms.find((r) => r.id === '1:2')).toEqual({
      id: '1:2',
      names: ['Ada', 'Bruno'],
      kind: 'direct',
      lastMessage: first,
      unread: 1,
      unreadMentions: 0,
    });
  });

  it('started by a first message appear for both members', async () => {
    const { rules, store } = setup();
    expect(await rules.privateRoomStarted('2:3')).toMatchObject({
      id: '2:3',
      names: ['Bruno', 'Chen'],
    });
    expect(await store.roomIdsOf('3')).toEqual(['2:3']);
    expect(await rules.privateRoomStarted('0')).toBeNull();
  });

  it('cannot be left', async () => {
    const { rules, ada } = setup();
    expect(await refusal(rules.leave(ada, '1:2'))).toMatchObject({
      code: 'bad_request',
      message: 'a private conversation cannot be left',
    });
    expect((await refusal(rules.leave(ada, '0'))).message).toMatch(
      /General is the room everyone is in/,
    );
  });
});

describe('the room list', () => {
  it('is your own only', async () => {
    const { rules, ada } = setup();
    expect(await refusal(rules.roomsOf(ada, '2'))).toMatchObject({
      code: 'forbidden',
      message: 'you can only list your own rooms',
    });
  });

  it('always has General, with unread counts and the read marker', async () => {
    const { rules, activity, ada } = setup();
    activity.unread.set('1/0', { unread: 3, unreadMentions: 1, lastReadId: '5-x' });
    expect(await rules.roomsOf(ada, ada.id)).toEqual([
      {
        id: '0',
        names: ['General'],
        kind: 'general',
        unread: 3,
        unreadMentions: 1,
        lastReadId: '5-x',
      },
    ]);
  });
});

describe('group rooms', () => {
  it('have unique names ignoring case, and none may be called General', async () => {
    const { rules, ada, bruno } = setup();
    await rules.create(ada, 'Books', 'public');
    expect(await refusal(rules.create(bruno, 'books', 'public'))).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/^a public room named like "books" already exists/),
    });
    expect((await refusal(rules.create(bruno, 'GENERAL', 'public'))).code).toBe('conflict');
  });

  it.each([
    ['different case', 'BOOKS'],
    ['a zero-width space', 'Bo\u200Boks'],
    ['full-width letters', 'Ｂｏｏｋｓ'],
    ['a soft hyphen', 'Boo\u00ADks'],
    ['a no-break space inside', 'My\u00A0Books'],
  ])('refuse a public name that looks like a public one: %s', async (_, lookalike) => {
    const { rules, ada, bruno } = setup();
    await rules.create(ada, 'Books', 'public');
    await rules.create(ada, 'My Books', 'public');
    expect((await refusal(rules.create(bruno, lookalike, 'public'))).code).toBe('conflict');
    // Nor may a private room borrow a public room's look.
    expect((await refusal(rules.create(bruno, lookalike, 'private'))).code).toBe('conflict');
  });

  it.each(['Ｇｅｎｅｒａｌ', 'Gen\u200Deral', 'general\u2060'])(
    'refuse a name that looks like General: %s',
    async (lookalike) => {
      const { rules, ada } = setup();
      expect(await refusal(rules.create(ada, lookalike, 'private'))).toMatchObject({
        code: 'conflict',
        message: expect.stringMatching(/looks like General/),
      });
    },
  );

  it('keep private names out of the way: a public room may take one, another private one too', async () => {
    const { rules, ada, bruno, chen } = setup();
    const hidden = await rules.create(ada, 'Plans', 'private');
    const again = await rules.create(chen, 'PLANS', 'private');
    const open = await rules.create(bruno, 'plans', 'public');
    expect(new Set([hidden.id, open.id, again.id]).size).toBe(3);
    const found = await rules.directory(chen, { search: 'plans' });
    expect(found.rooms.map((room) => room.id)).toEqual([open.id]);
  });

  it('store names in the composed form (NFC)', async () => {
    const { rules, ada } = setup();
    const decomposed = 'Cafe\u0301';
    const room = await rules.create(ada, decomposed, 'public');
    expect(room.names).toEqual(['Caf\u00E9']);
    // The other spelling of the same word is the same name.
    expect((await refusal(rules.create(ada, 'Caf\u00E9', 'public'))).code).toBe('conflict');
  });

  it('list only public rooms in the directory, searched by name, with counts', async () => {
    const { rules, ada, bruno } = setup();
    await rules.create(ada, 'Books', 'public');
    await rules.create(ada, 'Secret books', 'private');
    await rules.create(ada, 'Cooking', 'public');
    expect(await rules.directory(bruno, { search: 'BOOK' })).toEqual({
      rooms: [{ id: '1', name: 'Books', memberCount: 1, joined: false }],
      next: null,
    });
    const all = await rules.directory(ada, {});
    expect(all.rooms.map((r) => [r.name, r.joined])).toEqual([
      ['Books', true],
      ['Cooking', true],
    ]);
  });

  it('find rooms by the start of any word of their name, each room once', async () => {
    const { rules, ada } = setup();
    for (const name of ['UX design', 'Design review', 'Undesigned', 'Tea tea', 'Café-Crème']) {
      await rules.create(ada, name, 'public');
    }
    const names = async (search: string) =>
      (await rules.directory(ada, { search })).rooms.map((room) => room.name);
    // In the order of the matching text: "design" before "design review".
    expect(await names('des')).toEqual(['UX design', 'Design review']);
    expect(await names('design r')).toEqual(['Design review']);
    expect(await names('TEA')).toEqual(['Tea tea']);
    expect(await names('crè')).toEqual(['Café-Crème']);
    expect(await names('sign')).toEqual([]);
  });

  it('page through the directory with the cursor of each page, for one search only', async () => {
    const { rules, ada } = setup();
    for (const name of ['Alpha', 'Beta', 'Gamma', 'Delta', 'Epsilon']) {
      await rules.create(ada, name, 'public');
    }
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await rules.directory(ada, { after, size: 2 });
      seen.push(...page.rooms.map((room) => room.name));
      after = page.next ?? undefined;
      pages += 1;
    } while (after !== undefined);
    expect(seen).toEqual(['Alpha', 'Beta', 'Delta', 'Epsilon', 'Gamma']);
    expect(pages).toBe(3);
    const first = await rules.directory(ada, { size: 2 });
    expect(
      await refusal(rules.directory(ada, { search: 'g', after: first.next ?? '' })),
    ).toMatchObject({ code: 'bad_request' });
  });

  it('build the directory once from rooms made before it', async () => {
    const { rules, store, ada } = setup();
    await store.createGroupRoom('Old one', 'old one', 'public', ada.id);
    await store.createGroupRoom('Old hidden', 'old hidden', 'private', ada.id);
    expect((await rules.directory(ada, { search: 'old' })).rooms).toEqual([]);
    await rules.prepareDirectory();
    await rules.prepareDirectory();
    expect((await rules.directory(ada, { search: 'one' })).rooms.map((r) => r.name)).toEqual([
      'Old one',
    ]);
    expect((await rules.directory(ada, { search: 'old' })).rooms).toHaveLength(1);
  });

  it('let anyone join a public room once', async () => {
    const { rules, ada, bruno } = setup();
    const room = await rules.create(ada, 'Books', 'public');
    expect((await rules.join(bruno, room.id)).added).toBe(true);
    expect((await rules.join(bruno, room.id)).added).toBe(false);
    await expect(rules.assertCanUseRoom(bruno, room.id)).resolves.toBeUndefined();
  });

  it('hide a private room from outsiders: joining or inviting answers "does not exist"', async () => {
    const { rules, ada, bruno } = setup();
    const room = await rules.create(ada, 'Secret', 'private');
    expect(await refusal(rules.join(bruno, room.id))).toMatchObject({
      code: 'not_found',
      message: `room ${room.id} does not exist`,
    });
    expect(await refusal(rules.invite(bruno, room.id, '3'))).toMatchObject({ code: 'not_found' });
  });

  it('answer for a private group exactly as for an id never used, whatever an outsider asks', async () => {
    const { rules, ada, bruno } = setup();
    const room = await rules.create(ada, 'Secret', 'private');
    const unknown = String(Number(room.id) + 100);
    const asked = async (roomId: string) =>
      Promise.all(
        [
          rules.assertCanUseRoom(bruno, roomId),
          rules.join(bruno, roomId),
          rules.leave(bruno, roomId),
          rules.invite(bruno, roomId, ada.id),
          rules.members(bruno, roomId),
        ].map(async (work) => {
          const { code, message } = await refusal(work);
          return { code, message: message.replace(roomId, '<id>') };
        }),
      );
    const answers = await asked(room.id);
    expect(answers).toEqual(await asked(unknown));
    expect(answers.every((answer) => answer.code === 'not_found')).toBe(true);
  });

  it('let members invite existing users; outsiders of a public room may not', async () => {
    const { rules, ada, bruno, chen } = setup();
    const room = await rules.create(ada, 'Secret', 'private');
    const invited = await rules.invite(ada, room.id, bruno.id);
    expect(invited).toMatchObject({ invitee: bruno, added: true });
    await expect(rules.assertCanUseRoom(bruno, room.id)).resolves.toBeUndefined();
    expect((await refusal(rules.invite(ada, room.id, '99'))).code).toBe('not_found');
    const open = await rules.create(ada, 'Open', 'public');
    expect(await refusal(rules.invite(chen, open.id, bruno.id))).toMatchObject({
      code: 'not_member',
      message: `only members of room ${open.id} can invite`,
    });
  });

  it('tell the other features when a member leaves, and refuse a second leave', async () => {
    const { rules, ada, left } = setup();
    const room = await rules.create(ada, 'Books', 'public');
    await rules.leave(ada, room.id);
    expect(left).toEqual([{ roomId: room.id, userId: ada.id }]);
    expect((await refusal(rules.leave(ada, room.id))).code).toBe('not_member');
  });

  it('count creations per user once the name passed its own checks (a taken one counts)', async () => {
    const { rules, ada, bruno } = setup({ creations: 3 });
    await rules.create(ada, 'One', 'public');
    expect((await refusal(rules.create(ada, 'general', 'public'))).code).toBe('conflict');
    expect((await refusal(rules.create(ada, 'o\u202Ene', 'public'))).code).toBe('bidi_controls');
    expect((await refusal(rules.create(ada, 'one', 'public'))).code).toBe('conflict');
    await rules.create(ada, 'Two', 'private');
    expect(await refusal(rules.create(ada, 'Three', 'public'))).toMatchObject({
      code: 'rate_limited',
      message: 'you are creating rooms too fast; wait 3600 s',
      retryAfterS: 3600,
    });
    await expect(rules.create(bruno, 'Three', 'public')).resolves.toMatchObject({ kind: 'group' });
  });

  it('count invitations per inviter, refused ones not', async () => {
    const { rules, ada, bruno, chen } = setup({ invites: 1 });
    const room = await rules.create(ada, 'Secret', 'private');
    expect((await refusal(rules.invite(ada, room.id, '99'))).code).toBe('not_found');
    await rules.invite(ada, room.id, bruno.id);
    expect(await refusal(rules.invite(ada, room.id, chen.id))).toMatchObject({
      code: 'rate_limited',
      retryAfterS: 3600,
    });
    await expect(rules.invite(bruno, room.id, chen.id)).resolves.toMatchObject({ added: true });
  });

  it('keep a member who left from being invited back during the cooldown', async () => {
    const { rules, cooldowns, ada, bruno, chen } = setup();
    const room = await rules.create(ada, 'Books', 'public');
    await rules.invite(ada, room.id, bruno.id);
    await rules.leave(bruno, room.id);
    for (const inviter of [ada, chen]) {
      if (inviter === chen) await rules.join(chen, room.id);
      expect(await refusal(rules.invite(inviter, room.id, bruno.id))).toMatchObject({
        code: 'recently_left',
        message: `Bruno left room ${room.id} lately and cannot be invited back into it for 600 s`,
        retryAfterS: 600,
      });
    }
    await cooldowns.end(room.id, bruno.id);
    await expect(rules.invite(ada, room.id, bruno.id)).resolves.toMatchObject({ added: true });
  });

  it('end the cooldown of a user who joins a public room again by themselves', async () => {
    const { rules, ada, bruno } = setup();
    const room = await rules.create(ada, 'Books', 'public');
    await rules.join(bruno, room.id);
    await rules.leave(bruno, room.id);
    await rules.join(bruno, room.id);
    await rules.leave(bruno, room.id);
    expect((await refusal(rules.invite(ada, room.id, bruno.id))).code).toBe('recently_left');
    await rules.join(bruno, room.id);
    await expect(rules.invite(ada, room.id, bruno.id)).resolves.toMatchObject({ added: false });
  });

  it('list members with their presence, by name, to members only', async () => {
    const { rules, users, ada, bruno, chen } = setup();
    const room = await rules.create(ada, 'Books', 'public');
    await rules.join(bruno, room.id);
    users.online.add(bruno.id);
    expect(await rules.members(ada, room.id)).toEqual([
      { id: '1', username: 'Ada', online: false },
      { id: '2', username: 'Bruno', online: true },
    ]);
    expect((await refusal(rules.members(chen, room.id))).code).toBe('not_member');
    expect((await rules.members(chen, '0')).map((m) => m.username)).toEqual([
      'Ada',
      'Bruno',
      'Chen',
      'Dara',
    ]);
  });
});

describe('deleting a room', () => {
  it('takes a group room out of the directory and its members’ lists, and its messages', async () => {
    const { rules, ada, bruno, chen, left, messagesLeft } = setup();
    const room = await rules.create(ada, 'Old Plans', 'public');
    await rules.join(bruno, room.id);
    messagesLeft.count = 1001;
    const told: string[][] = [];
    const deleted = await rules.deleteRoom(room.id, (memberIds) => told.push(memberIds));
    expect(deleted).toMatchObject({ name: 'Old Plans', messages: 1001 });
    expect(told).toEqual([[ada.id, bruno.id]]);
    expect(left).toEqual([
      { roomId: room.id, userId: ada.id },
      { roomId: room.id, userId: bruno.id },
    ]);
    expect((await rules.directory(chen, { search: 'old' })).rooms).toEqual([]);
    expect(await rules.roomIdsOf(bruno)).toEqual(['0']);
    expect((await refusal(rules.assertCanUseRoom(ada, room.id))).code).toBe('not_found');
    // Its name is free again.
    await rules.create(chen, 'old plans', 'public');
    expect(await refusal(rules.deleteRoom(room.id, () => undefined))).toMatchObject({
      code: 'not_found',
      message: `no room ${room.id}`,
    });
  });

  it('finishes a delete that was cut short after its members left', async () => {
    const { rules, store, ada } = setup();
    const room = await rules.create(ada, 'Half Gone', 'private');
    // What the first run did before it stopped: members out, info gone, the name still there.
    await store.removeMember(room.id, ada.id);
    await store.forgetGroup(room.id, 'half gone');
    expect(await rules.deleteRoom(room.id, () => undefined)).toMatchObject({ memberIds: [] });
    expect(await rules.roomName(room.id)).toBeNull();
  });

  it('refuses General and private conversations', async () => {
    const { rules } = setup();
    expect((await refusal(rules.deleteRoom('0', () => undefined))).message).toMatch(
      /General .* cannot be deleted/,
    );
    expect((await refusal(rules.deleteRoom('1:2', () => undefined))).message).toMatch(
      /only group rooms can be deleted/,
    );
  });
});

describe('room names as text', () => {
  it.each([
    ['control_characters', 'Books\u0007'],
    ['control_characters', 'Two\nlines'],
    ['control_characters', 'C1\u0085control'],
    ['bidi_controls', 'evil\u202Egnp.exe'],
    ['bidi_controls', 'isolated\u2067name\u2069'],
    ['invisible_text', '\u200B\u200B'],
    ['invisible_text', '\u2060\uFE0F\u00AD'],
  ])('refuse %s: %j', async (code, name) => {
    const { rules, ada } = setup();
    const refused = await refusal(rules.create(ada, name, 'public'));
    expect(refused.code).toBe(code);
    expect(refused.message).toMatch(/^a room name /);
  });

  it('accept right-to-left names and emoji sequences, which need no control characters', async () => {
    const { rules, ada } = setup();
    expect((await rules.create(ada, 'שלום עולם', 'public')).names).toEqual(['שלום עולם']);
    // A zero-width joiner inside an emoji sequence is part of a visible name.
    expect((await rules.create(ada, 'team 👩‍💻', 'public')).names).toEqual(['team 👩‍💻']);
  });
});
