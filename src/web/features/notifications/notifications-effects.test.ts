/** When the user is told about a message, and what mute changes: the rules, without a browser. */
import { describe, expect, it, vi } from 'vitest';
import type { ChatMessage } from '../../../protocol/index.js';
import { me } from '../../test/chat-harness.js';
import { testMessage } from '../../test/test-messages.js';
import { createChatStore } from '../../screens/chat-state.js';
import type { DesktopNotice } from './desktop-notifier.js';
import type { DeviceSettings, DeviceSettingsStore } from './device-settings.js';
import type { MutedRoomsStore } from './muted-rooms.js';
import { NotificationsEffects } from './notifications-effects.js';
import { selectAttentionTotal, type NotificationAccess } from './notifications-slice.js';

const PRIVATE_WITH_JOE = '1:2';

/** Muted rooms kept in memory; `elsewhere` plays a change made on another tab or device. */
function memoryMutedRooms(initial: string[] = []) {
  let roomIds = [...initial];
  const listeners = new Set<(ids: string[]) => void>();
  const store: MutedRoomsStore & { fail: boolean } = {
    fail: false,
    list: () => Promise.resolve([...roomIds]),
    setMuted(roomId, muted) {
      if (store.fail) return Promise.reject(new Error('not kept'));
      roomIds = muted ? [...roomIds, roomId] : roomIds.filter((id) => id !== roomId);
      return Promise.resolve();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const elsewhere = (ids: string[]) => {
    roomIds = ids;
    for (const listener of listeners) listener(ids);
  };
  return { store, elsewhere };
}

function memorySettings(initial: Partial<DeviceSettings> = {}): DeviceSettingsStore {
  let settings: DeviceSettings = { desktop: true, sound: false, offerAnswered: false, ...initial };
  return {
    read: () => settings,
    write: (change) => {
      settings = { ...settings, ...change };
    },
  };
}

function setup({
  hidden = true,
  access = 'granted' as NotificationAccess,
  muted = [] as string[],
  settings = memorySettings(),
} = {}) {
  const store = createChatStore(me);
  store.dispatch(
    {
      type: 'rooms.listed',
      rooms: [
        { id: '0', names: ['General'] },
        { id: PRIVATE_WITH_JOE, names: ['Pablo', 'Joe'] },
        { id: '5', names: ['design'], kind: 'group' },
      ],
    },
    {
      type: 'users.loaded',
      users: { '2': { id: '2', username: 'Joe', online: true } },
      onlineSnapshot: false,
    },
  );
  const shown: DesktopNotice[] = [];
  const page = { hidden };
  const mutedRooms = memoryMutedRooms(muted);
  const chime = vi.fn();
  const focusPage = vi.fn();
  const selectRoom = vi.fn();
  let accessNow = access;
  const effects = new NotificationsEffects(
    store,
    { selectRoom },
    {
      mutedRooms: mutedRooms.store,
      settings,
      notifier: {
        access: () => accessNow,
        requestAccess: () => {
          accessNow = 'granted';
          return Promise.resolve(accessNow);
        },
        show: (notice) => shown.push(notice),
      },
      chime,
      pageHidden: () => page.hidden,
      focusPage,
    },
  );
  effects.start();
  const arrive = (...messages: ChatMessage[]) =>
    store.dispatch({ type: 'messages.arrived', messages });
  return { store, effects, shown, page, mutedRooms, chime, focusPage, selectRoom, arrive };
}

const mention = (roomId = '0') => ({
  ...testMessage('2', 'hey @Pablo, look', roomId),
  mentions: [me.id],
});

describe('notifications', () => {
  it('notify of a mention or a private message while the tab is hidden, and of nothing else', () => {
    const { shown, arrive } = setup();
    arrive(testMessage('2', 'just chatting'), testMessage('1', 'my own words'));
    expect(shown).toEqual([]);

    arrive(mention());
    arrive(testMessage('2', 'psst', PRIVATE_WITH_JOE));
    expect(shown.map(({ title, body, tag }) => ({ title, body, tag }))).toEqual([
      {
        title: 'Joe in General',
        body: 'Mentioned you: hey @Pablo, look',
        tag: 'redis-chat:room:0',
      },
      { title: 'Joe', body: 'psst', tag: `redis-chat:room:${PRIVATE_WITH_JOE}` },
    ]);
  });

  it('say once how many arrived together, and never twice for the same message', () => {
    const { shown, arrive } = setup();
    const first = testMessage('2', 'one', PRIVATE_WITH_JOE);
    const second = testMessage('2', 'two', PRIVATE_WITH_JOE);
    arrive(first, second);
    arrive(first, second);
    expect(shown.map((notice) => [notice.title, notice.body])).toEqual([['Joe (2 new)', 'two']]);
  });

  it('open the room and bring the tab forward when a notification is clicked', () => {
    const { shown, arrive, focusPage, selectRoom } = setup();
    arrive(testMessage('2', 'psst', PRIVATE_WITH_JOE));
    shown[0]!.onClick();
    expect(focusPage).toHaveBeenCalledOnce();
    expect(selectRoom).toHaveBeenCalledWith(PRIVATE_WITH_JOE);
  });

  it('stay quiet while the tab is visible; the sound, when chosen, plays for other rooms only', () => {
    const { store, effects, shown, page, chime, arrive } = setup({ hidden: false });
    arrive(mention());
    expect(chime).not.toHaveBeenCalled();
    effects.setSound(true);
    // General is open and in view: nothing to tell.
    arrive(mention());
    expect(chime).not.toHaveBeenCalled();
    arrive(testMessage('2', 'psst', PRIVATE_WITH_JOE));
    expect(chime).toHaveBeenCalledOnce();
    expect(shown).toEqual([]);
    page.hidden = true;
    arrive(mention());
    expect(chime).toHaveBeenCalledTimes(2);
    expect(shown).toHaveLength(1);
    expect(store.getState().notifications.sound).toBe(true);
  });

  it('need the browser’s permission and the user’s choice on this device', () => {
    const denied = setup({ access: 'denied' });
    denied.arrive(mention());
    expect(denied.shown).toEqual([]);

    const off = setup();
    off.effects.setDesktop(false);
    off.arrive(mention());
    expect(off.shown).toEqual([]);
  });

  it('leave muted rooms silent, still counting their unread messages apart from the total', async () => {
    const { store, effects, shown, chime, arrive } = setup({ muted: ['5'] });
    effects.setSound(true);
    await vi.waitFor(() => expect(store.getState().notifications.muted).toEqual(['5']));
    await effects.setMuted('0', true);
    arrive(mention('5'), mention('0'), testMessage('2', 'psst', PRIVATE_WITH_JOE));
    expect(shown.map((notice) => notice.title)).toEqual(['Joe']);
    expect(chime).toHaveBeenCalledOnce();
    const state = store.getState();
    expect(state.unread['5']?.messages).toBe(1);
    expect(state.unread[PRIVATE_WITH_JOE]?.messages).toBe(1);
    // General is open; of the others only the private room counts in the title.
    expect(selectAttentionTotal(state)).toBe(1);

    await effects.setMuted('0', false);
    arrive(mention('0'));
    expect(shown.map((notice) => notice.title)).toEqual(['Joe', 'Joe in General']);
  });

  it('follow mutes made on another tab or device, and undo a mute that could not be kept', async () => {
    const { store, effects, mutedRooms } = setup();
    mutedRooms.elsewhere(['5', PRIVATE_WITH_JOE]);
    expect(store.getState().notifications.muted).toEqual([PRIVATE_WITH_JOE, '5']);

    mutedRooms.store.fail = true;
    await expect(effects.setMuted('0', true)).rejects.toThrow('not kept');
    expect(store.getState().notifications.muted).toEqual([PRIVATE_WITH_JOE, '5']);
  });

  it('offer to turn notifications on after the first message sent, until answered', async () => {
    const settings = memorySettings();
    const first = setup({ access: 'default', settings });
    expect(first.store.getState().notifications.offer).toBe('not-yet');
    first.store.dispatch({
      type: 'outbox.added',
      message: {
        localId: 'local-1',
        clientId: 'client-id-1',
        roomId: '0',
        text: 'hi',
        date: 1,
        status: 'pending',
      },
    });
    expect(first.store.getState().notifications.offer).toBe('shown');
    await first.effects.turnOn();
    expect(first.store.getState().notifications).toMatchObject({
      offer: 'done',
      access: 'granted',
      desktop: true,
    });

    // Answered once: a later visit on this device does not offer again.
    const later = setup({ access: 'default', settings });
    expect(later.store.getState().notifications.offer).toBe('done');
  });
});
