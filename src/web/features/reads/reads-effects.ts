/** Read markers: ours go to the server as the newest message comes into view; theirs clear counts. */
import { type Store, Subscriptions } from '../../core/store/index.js';
import type { Transport } from '../../core/transport/index.js';
import type { WithTimelines } from '../messages/index.js';
import type { WithOpenRoom } from '../navigation/index.js';
import type { ReadsAction } from './unread-slice.js';

export type ReadsStore = Store<WithOpenRoom & WithTimelines, ReadsAction>;

export class ReadsEffects {
  /** The newest message each room was marked read at, so the same mark is not posted twice. */
  private readonly readMarks = new Map<string, string>();
  private readonly subscriptions = new Subscriptions();

  constructor(
    private readonly store: ReadsStore,
    private readonly transport: Transport,
  ) {}

  start(): void {
    this.subscriptions.add(
      this.transport.connection.on('room.read', (marker) =>
        this.store.dispatch({ type: 'room.read', marker }),
      ),
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
