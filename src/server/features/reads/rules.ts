/**
 * Read markers: per user and room, the last message read, shared by every tab and device. A
 * marker only moves forward; writing in a room moves the author's marker to their message.
 * Unread counts are the messages after the marker, and the mentions of the user among them.
 */
import type { PeerReadMarker, ReadMarker, SessionUser } from '../../../protocol/models.js';
import { privateRoomPartner } from '../../../protocol/room-ids.js';
import { badRequest } from '../../kernel/errors.js';
import { scoreOfMessageId } from '../../kernel/message-ids.js';
import type { MentionCounts, ReadMarkerStore, RoomAccess } from './ports.js';

export interface UnreadState {
  unread: number;
  unreadMentions: number;
  lastReadId: string | null;
}

export class ReadRules {
  constructor(
    private readonly markers: ReadMarkerStore,
    private readonly mentions: MentionCounts,
    private readonly rooms: RoomAccess,
  ) {}

  /**
   * Moves the user's read marker forward to a message (never back). `partner`: in a private room
   * whose marker moved, the other member, who is to be told (read receipts).
   */
  async markRead(
    requester: SessionUser,
    roomId: string,
    messageId: string,
  ): Promise<{ marker: ReadMarker; partner: string | null }> {
    await this.rooms.assertCanUseRoom(requester, roomId);
    const score = scoreOfMessageId(messageId);
    if (score === null) throw badRequest('messageId must be a message id');
    const [current] = await this.markers.readMarkers(requester.id, [roomId]);
    const currentScore = current ? scoreOfMessageId(current) : null;
    if (current && currentScore !== null && currentScore >= score) {
      return { marker: { roomId, lastReadId: current }, partner: null };
    }
    await this.markers.setReadMarker(requester.id, roomId, messageId);
    return {
      marker: { roomId, lastReadId: messageId },
      partner: privateRoomPartner(roomId, requester.id),
    };
  }

  /** How far the other member of a private room the requester is in has read it. */
  async seenBy(requester: SessionUser, roomId: string): Promise<PeerReadMarker> {
    await this.rooms.assertCanUseRoom(requester, roomId);
    const partner = privateRoomPartner(roomId, requester.id);
    if (!partner) throw badRequest('only private rooms have read receipts');
    const [lastReadId] = await this.markers.readMarkers(partner, [roomId]);
    return { roomId, userId: partner, lastReadId: lastReadId ?? null };
  }

  /**
   * The author of a message has read the room up to it. Called right after the message is
   * sent to be stored, so both writes leave together.
   */
  authorWrote(userId: string, roomId: string, messageId: string): Promise<void> {
    return this.markers.setReadMarker(userId, roomId, messageId);
  }

  /**
   * Per room, the messages after the user's marker and the mentions of the user among them.
   * With the ids of the rooms' newest messages, a room whose newest message is not after the
   * marker has nothing unread and costs no count (most rooms of a user in many rooms).
   */
  async unreadIn(
    userId: string,
    roomIds: string[],
    newestIds?: Promise<(string | null)[]>,
  ): Promise<UnreadState[]> {
    const [markers, newest] = await Promise.all([
      this.markers.readMarkers(userId, roomIds),
      newestIds,
    ]);
    return Promise.all(
      roomIds.map(async (roomId, i) => {
        const marker = markers[i] ?? null;
        const readScore = (marker ? scoreOfMessageId(marker) : null) ?? 0;
        if (newest) {
          const newestId = newest[i] ?? null;
          const newestScore = newestId === null ? 0 : scoreOfMessageId(newestId);
          // Unknown ids (not ours) are counted; an empty room or one read to its end is not.
          if (newestScore !== null && newestScore <= readScore) {
            return { unread: 0, unreadMentions: 0, lastReadId: marker };
          }
        }
        const [unread, unreadMentions] = await Promise.all([
          this.markers.countAfter(roomId, readScore),
          this.mentions.countAfter(roomId, userId, readScore),
        ]);
        return { unread, unreadMentions, lastReadId: marker };
      }),
    );
  }
}
