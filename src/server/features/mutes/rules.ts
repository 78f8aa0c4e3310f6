/**
 * The mute rules: a user mutes only a room they may use (unmuting is always allowed, a room left
 * since included); muted rooms are kept per user on the server, so every device follows; changes
 * per user are limited (each one is told to every tab and device), refused ones counted too.
 * Leaving a room forgets its mute, so the list never outgrows the user's rooms.
 */
import type { MutedRooms, SessionUser } from '../../../protocol/models.js';
import { rateLimited } from '../../kernel/errors.js';
import type { ChangeLimiter, MuteStore, RoomAccess } from './ports.js';

export interface MutePorts {
  mutes: MuteStore;
  limiter: ChangeLimiter;
  rooms: RoomAccess;
}

/** What a change produced: the list to answer with, and whether the user's devices must hear. */
export interface MuteOutcome {
  muted: MutedRooms;
  changed: boolean;
}

export class MuteRules {
  constructor(private readonly ports: MutePorts) {}

  async list(user: SessionUser): Promise<MutedRooms> {
    return { roomIds: (await this.ports.mutes.list(user.id)).sort() };
  }

  async mute(user: SessionUser, roomId: string): Promise<MuteOutcome> {
    await this.count(user);
    await this.ports.rooms.assertCanUseRoom(user, roomId);
    return this.set(user, roomId, true);
  }

  async unmute(user: SessionUser, roomId: string): Promise<MuteOutcome> {
    await this.count(user);
    return this.set(user, roomId, false);
  }

  /** The user left a room: its mute goes with it. */
  async forget(userId: string, roomId: string): Promise<void> {
    await this.ports.mutes.set(userId, roomId, false);
  }

  private async set(user: SessionUser, roomId: string, muted: boolean): Promise<MuteOutcome> {
    const { roomIds, changed } = await this.ports.mutes.set(user.id, roomId, muted);
    return { muted: { roomIds: [...roomIds].sort() }, changed };
  }

  private async count(user: SessionUser): Promise<void> {
    const counted = await this.ports.limiter.consume(user.id);
    if (!counted.allowed) {
      const wait = counted.retryAfterS;
      throw rateLimited(`you are muting and unmuting too fast; wait ${wait} s`, wait, 'mute');
    }
  }
}
