/**
 * GET /stream: the seed's server-sent events, which the seed's client opens beside its socket.
 * It carries the seed envelopes `{type, data}` that the user may see, but only while the session
 * has no Socket.IO connection on this instance: a client that has one gets every event there, and
 * must not get it twice. Our own web client does not open it.
 */
import type { FastifyInstance } from 'fastify';
import type { SeedEnvelope } from '../../protocol/events.js';
import { GENERAL_ROOM_ID } from '../../protocol/models.js';
import { isPrivateRoomMember, privateRoomMembers } from '../../protocol/room-ids.js';
import { AppError } from '../kernel/errors.js';
import { serveRoute } from '../kernel/http/routes.js';
import { requireUser, sessionExpiry } from '../kernel/sessions/http-session.js';
import type { LiveSessions } from '../kernel/sessions/live-sessions.js';
import type { SeedBridge } from './seed-bridge.js';

const KEEP_ALIVE_MS = 25_000;

/** Whether a user may see an envelope: private rooms' events only reach their members. */
function visibleTo(userId: string, { type, data }: SeedEnvelope): boolean {
  if (type === 'user.connected' || type === 'user.disconnected') return true;
  if (typeof data !== 'object' || data === null) return false;
  const record = data as Record<string, unknown>;
  const roomId = String(type === 'show.room' ? record.id : record.roomId);
  if (type === 'message' && roomId === GENERAL_ROOM_ID) return true;
  const members = privateRoomMembers(roomId);
  return (
    (type === 'message' || type === 'show.room') &&
    !!members &&
    isPrivateRoomMember(members, userId)
  );
}

/** Whether a session has a live Socket.IO connection on this instance (the presence feature). */
export type HasSocket = (sessionId: string) => boolean;

export interface StreamSessions {
  hasSocket: HasSocket;
  /** Where the stream is held, so that it ends with its session. */
  liveSessions: Pick<LiveSessions, 'hold'>;
  /**
   * A lease counted against the user's connection limit (kernel/sessions/connection-leases.ts):
   * a release to call when the stream closes, or the refusal's sentence when the user is at it.
   */
  takeConnectionLease: (userId: string) => Promise<(() => void) | string>;
}

export function streamRoute(
  app: FastifyInstance,
  bridge: SeedBridge | null,
  { hasSocket, liveSessions, takeConnectionLease }: StreamSessions,
) {
  serveRoute(app, 'stream', async (request, reply) => {
    const user = requireUser(request);
    const sessionId = request.session.sessionId;
    const lease = await takeConnectionLease(user.id);
    if (typeof lease === 'string') throw new AppError('too_many_connections', lease);
    if (request.raw.destroyed) {
      lease();
      return;
    }
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    out.write(': connected\n\n');

    const stopListening =
      bridge?.onEnvelope((envelope) => {
        if (hasSocket(sessionId) || !visibleTo(user.id, envelope)) return;
        out.write(`data: ${JSON.stringify({ type: envelope.type, data: envelope.data })}\n\n`);
      }) ?? (() => undefined);
    const keepAlive = setInterval(() => out.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    const release = liveSessions.hold(sessionId, sessionExpiry(request.session), () => out.end());
    request.raw.once('close', () => {
      clearInterval(keepAlive);
      stopListening();
      release();
      lease();
    });
  });
}
