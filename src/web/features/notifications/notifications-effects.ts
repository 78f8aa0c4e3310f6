/**
 * Telling the user about mentions and private messages: a desktop notification while the chat's
 * tab is hidden, an optional sound, none of it for muted rooms. Also the muted rooms themselves
 * (kept by a MutedRoomsStore), this device's choices, and the browser's permission, asked for only
 * when the user says so.
 */
import { privateRoomMembers, type ChatMessage } from '../../../protocol/index.js';
import type { ChatEvent } from '../../core/events.js';
import { actionListener, type Store, Subscriptions } from '../../core/store/index.js';
import type { WithSession } from '../auth/index.js';
import { mentionsUser } from '../mentions/index.js';
import {
  arrivalIn,
  messagesByRoom,
  type MessagesAction,
  type WithTimelines,
} from '../messages/index.js';
import type { WithOpenRoom } from '../navigation/index.js';
import type { WithUsers } from '../presence/index.js';
import { selectRoomHeading, type RoomsEffects, type WithRooms } from '../rooms/index.js';
import { playChime, prepareChime } from './chime.js';
import { browserNotifier, type DesktopNotifier } from './desktop-notifier.js';
import { localDeviceSettings, type DeviceSettingsStore } from './device-settings.js';
import { localMutedRooms, type MutedRoomsStore } from './muted-rooms.js';
import {
  selectIsMuted,
  type NotificationsAction,
  type WithNotifications,
} from './notifications-slice.js';

type State = WithSession & WithOpenRoom & WithUsers & WithTimelines & WithRooms & WithNotifications;

export type NotificationsStore = Store<State, NotificationsAction | MessagesAction | ChatEvent>;

/** Longest message text in a notification (the system cuts it anyway). */
const BODY_LENGTH = 180;

export interface NotificationsOptions {
  mutedRooms?: MutedRoomsStore;
  settings?: DeviceSettingsStore;
  notifier?: DesktopNotifier;
  chime?: () => void;
  /** Whether the user cannot see this tab (another tab in front, the window minimized). */
  pageHidden?: () => boolean;
  /** Brings this tab to the front (clicking a notification). */
  focusPage?: () => void;
}

export class NotificationsEffects {
  private readonly subscriptions = new Subscriptions();
  private readonly mutedRooms: MutedRoomsStore;
  private readonly settings: DeviceSettingsStore;
  private readonly notifier: DesktopNotifier;
  private readonly chime: () => void;
  private readonly pageHidden: () => boolean;
  private readonly focusPage: () => void;
  /** A mute changed (here or elsewhere) since start: the list asked for at start is older. */
  private mutedChanged = false;

  constructor(
    private readonly store: NotificationsStore,
    private readonly rooms: Pick<RoomsEffects, 'selectRoom'>,
    options: NotificationsOptions = {},
  ) {
    const meId = store.getState().session.me.id;
    this.mutedRooms = options.mutedRooms ?? localMutedRooms(meId);
    this.settings = options.settings ?? localDeviceSettings(meId);
    this.notifier = options.notifier ?? browserNotifier();
    this.chime = options.chime ?? playChime;
    this.pageHidden = options.pageHidden ?? (() => document.visibilityState === 'hidden');
    this.focusPage = options.focusPage ?? (() => window.focus());
  }

  start(): void {
    const { desktop, sound, offerAnswered } = this.settings.read();
    const access = this.notifier.access();
    this.store.dispatch(
      { type: 'notifications.settings-changed', desktop, sound },
      { type: 'notifications.access-changed', access },
      { type: 'notifications.offer-changed', offer: offerAnswered ? 'done' : 'not-yet' },
    );
    this.mutedChanged = false;
    this.subscriptions.add(
      this.mutedRooms.subscribe((roomIds) => {
        this.mutedChanged = true;
        this.store.dispatch({ type: 'notifications.muted-listed', roomIds });
      }),
      this.store.listen(
        actionListener<MessagesAction | ChatEvent, State>(
          ['messages.arrived', 'outbox.added'],
          (action, before) => {
            if (action.type === 'messages.arrived') this.arrived(action.messages, before);
            else this.sentOne();
          },
        ),
      ),
    );
    this.mutedRooms.list().then(
      (roomIds) => {
        if (!this.mutedChanged) {
          this.store.dispatch({ type: 'notifications.muted-listed', roomIds });
        }
      },
      // Nothing muted is the safe side: the user hears too much rather than too little.
      () => undefined,
    );
  }

  stop(): void {
    this.subscriptions.clear();
  }

  // Mute ----------------------------------------------------------------------------------------

  /** Mutes or unmutes a room; shows at once, and goes back if it could not be kept. */
  async setMuted(roomId: string, muted: boolean): Promise<void> {
    this.mutedChanged = true;
    this.store.dispatch({ type: 'notifications.mute-changed', roomId, muted });
    try {
      await this.mutedRooms.setMuted(roomId, muted);
    } catch (error) {
      this.store.dispatch({ type: 'notifications.mute-changed', roomId, muted: !muted });
      throw error;
    }
  }

  // This device's choices -----------------------------------------------------------------------

  /** From a click: asks the browser, and turns desktop notifications on if it agrees. */
  async turnOn(): Promise<void> {
    const access = await this.notifier.requestAccess();
    this.store.dispatch({ type: 'notifications.access-changed', access });
    if (access === 'granted') this.setDesktop(true);
    this.answerOffer();
  }

  setDesktop(desktop: boolean): void {
    this.settings.write({ desktop });
    this.store.dispatch({ type: 'notifications.settings-changed', desktop });
  }

  /** From a click (the browser allows sound after one). */
  setSound(sound: boolean): void {
    if (sound) prepareChime();
    this.settings.write({ sound });
    this.store.dispatch({ type: 'notifications.settings-changed', sound });
  }

  /** "Not now", or done: the offer is not shown again on this device. */
  answerOffer(): void {
    this.settings.write({ offerAnswered: true });
    this.store.dispatch({ type: 'notifications.offer-changed', offer: 'done' });
  }

  // Following the chat --------------------------------------------------------------------------

  /** After the user's first message, the offer to turn notifications on (if still open). */
  private sentOne(): void {
    const { offer, access } = this.store.getState().notifications;
    if (offer === 'not-yet' && access === 'default') {
      this.store.dispatch({ type: 'notifications.offer-changed', offer: 'shown' });
    }
  }

  private arrived(messages: readonly ChatMessage[], before: State): void {
    const state = this.store.getState();
    const meId = state.session.me.id;
    const { desktop, sound, access } = state.notifications;
    const hidden = this.pageHidden();
    for (const [roomId, incoming] of messagesByRoom(messages)) {
      if (selectIsMuted(state, roomId)) continue;
      // Being looked at: nothing to tell.
      if (!hidden && state.openRoom.roomId === roomId) continue;
      const direct = privateRoomMembers(roomId) !== null;
      const worthTelling = arrivalIn(before.timelines[roomId], incoming).fresh.filter(
        (message) =>
          message.from !== meId && !message.deleted && (direct || mentionsUser(message, meId)),
      );
      const newest = worthTelling.at(-1);
      if (!newest) continue;
      if (sound) this.chime();
      if (hidden && desktop && access === 'granted') {
        this.notifier.show({
          ...this.describe(state, roomId, newest, direct, worthTelling.length),
          tag: `redis-chat:room:${roomId}`,
          onClick: () => {
            this.focusPage();
            this.rooms.selectRoom(roomId);
          },
        });
      }
    }
  }

  private describe(
    state: State,
    roomId: string,
    newest: ChatMessage,
    direct: boolean,
    count: number,
  ): { title: string; body: string } {
    const sender = state.users[newest.from]?.username ?? 'Someone';
    const where = direct ? sender : `${sender} in ${selectRoomHeading(state, roomId).title}`;
    const text =
      newest.message.length > BODY_LENGTH
        ? `${newest.message.slice(0, BODY_LENGTH - 1)}…`
        : newest.message;
    return {
      title: count > 1 ? `${where} (${count} new)` : where,
      body: direct ? text : `Mentioned you: ${text}`,
    };
  }
}
