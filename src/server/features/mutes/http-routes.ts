import type { FastifyInstance } from 'fastify';
import { serveRoute } from '../../kernel/http/routes.js';
import type { FanOut } from '../../kernel/realtime/fan-out.js';
import { requireUser } from '../../kernel/sessions/http-session.js';
import type { MuteOutcome, MuteRules } from './rules.js';

export function muteRoutes(app: FastifyInstance, rules: MuteRules, fanOut: FanOut) {
  /** A change reaches every tab and device of the user, on every instance. */
  const tell = (userId: string, { muted, changed }: MuteOutcome) => {
    if (changed) fanOut.toUser(userId, 'rooms.muted', muted);
    return muted;
  };

  serveRoute(app, 'mutedRooms', async (request) => rules.list(requireUser(request)));

  serveRoute(app, 'muteRoom', async (request) => {
    const user = requireUser(request);
    return tell(user.id, await rules.mute(user, request.params.id));
  });

  serveRoute(app, 'unmuteRoom', async (request) => {
    const user = requireUser(request);
    return tell(user.id, await rules.unmute(user, request.params.id));
  });
}
