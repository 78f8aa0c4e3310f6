import type { FastifyInstance } from 'fastify';
import { serveRoute } from '../../kernel/http/routes.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import { requireUser } from '../../kernel/sessions/http-session.js';
import type { ReadRules } from './rules.js';

export function readRoutes(app: FastifyInstance, reads: ReadRules, fanOut: FanOut) {
  /**
   * Moves the caller's read marker; every tab and device of theirs is told, and in a private
   * room the other member too (read receipts).
   */
  serveRoute(app, 'markRead', async (request) => {
    const user = requireUser(request);
    const { marker, partner } = await reads.markRead(
      user,
      request.params.id,
      request.body.messageId,
    );
    fanOut.toUser(user.id, 'room.read', marker);
    if (partner) fanOut.toUser(partner, 'room.seen', { ...marker, userId: user.id });
    return marker;
  });

  /** The other member's read marker in a private room. */
  serveRoute(app, 'seenBy', async (request) =>
    reads.seenBy(requireUser(request), request.params.id),
  );
}
