/**
 * Read markers: ours go to the server as the newest message comes into view; theirs clear counts.
 * In a private room, the other member's marker ("Seen") is asked for as its history loads and
 * after a reconnect, and follows `room.seen` live.
 */
import { privateRoomMembers } from '../../../protocol/index.js';
import { actionListener, type Store, Subscriptions } from '../../core/store/index.js';
import type { Transport } from '../../core/transport/index.js';
import type { MessagesAction, WithTimelines } from '../messages/index.js';
import type { WithOpenRoom } from '../navigation/index.js';
import type { ReceiptsAction } from './receipts-slice.js';
import type { ReadsAction } from './unread-slice.js';

export type ReadsStore = Store<
  WithOpenRoom & WithTimelines,
  ReadsAction | ReceiptsAction | MessagesAction
>;

type PageLoaded = Extract<MessagesAction, { type: 'page.loaded' }>;

export class ReadsEffects {
  /** The newest message each room was marked read at, so the same mark is not posted twice. */
  private readonly readMarks = new Map<string, string>();
  private readonly subscriptions = new Subscriptions();
  private connectedBefore = false;

  constructor(
    private readonly store: ReadsStore,
    private readonly transport: Transport,
  ) {}

  start(): void {
    const { connection } = this.transport;
    this.subscriptions.add(
      connection.on('room.read', (marker) => this.store.dispatch({ type: 'room.read', marker })),
      connection.on('room.seen', (receipt) =>
        this.store.dispatch({ type: 'receipt.received', receipt }),
      ),
      this.store.listen(
        actionListener<PageLoaded, unknown>(['page.loaded'], ({ roomId, older }) => {
          if (!older) this.loadReceipt(roomId);
        }),
      ),
      // What the other member read while we were offline was not heard.
      connection.onConnect(() => {
        if (this.connectedBefore) {
          for (const roomId of Object.keys(this.store.getState().timelines)) {
            this.loadReceipt(roomId);
          }
        }
        this.connectedBefore = true;
      }),
    );
  }

  /** How far the other member of a private room has read it. */
  private loadReceipt(roomId: string): void {
    if (!privateRoomMembers(roomId)) return;
    this.transport.api.seenBy(roomId).then(
      (receipt) => this.store.dispatch({ type: 'receipt.received', receipt }),
      // Without it no "Seen" shows; the next page or reconnect asks again.
      () => undefined,
    );
  }

  stop(): void {
    this.subscriptions.clear();
  }

  /** Moves the server's read marker to the newest message of a room the user is looking at. */
  markRead(roomId: string): void {
    const { openRoom, timelines } = this.store.getState();
    // Until the address's room is settled, what is on screen may not be what the user opened.
    if (openRoom.opening) return;
    const newest = timelines[roomId]?.messages.at(-1);
    if (!newest || this.readMarks.get(roomId) === newest.id) return;
    this.readMarks.set(roomId, newest.id);
    // A failure is not worth a message: the next mark moves the marker anyway.
    this.transport.api.markRead(roomId, newest.id).catch(() => this.readMarks.delete(roomId));
  }
}
