import type { FastifyInstance } from 'fastify';
import { readMarkerBodySchema, roomIdSchema } from '../../../protocol/schemas.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import { requireUser } from '../../kernel/sessions/http-session.js';
import { parseInput } from '../../kernel/validation.js';
import type { ReadRules } from './rules.js';

export function readRoutes(app: FastifyInstance, reads: ReadRules, fanOut: FanOut) {
  /** Moves the caller's read marker; every tab and device of theirs is told. */
  app.post<{ Params: { id: string } }>('/room/:id/read', async (request) => {
    const user = requireUser(request);
    const roomId = parseInput(roomIdSchema, request.params.id);
    const { messageId } = parseInput(readMarkerBodySchema, request.body);
    const marker = await reads.markRead(user, roomId, messageId);
    fanOut.toUser(user.id, 'room.read', marker);
    return marker;
  });
}
