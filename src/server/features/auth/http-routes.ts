import type { FastifyInstance } from 'fastify';
import { serveRoute } from '../../kernel/http/routes.js';
import { logAsUser, requireSignedIn } from '../../kernel/sessions/http-session.js';
import type { SessionUser } from '../../../protocol/models.js';
import type { SessionEnding } from '../../kernel/sessions/session-ending.js';
import type { SignInPolicy } from './ports.js';
import type { AuthService } from './rules.js';

export function authRoutes(
  app: FastifyInstance,
  auth: AuthService,
  sessions: SessionEnding,
  policy: SignInPolicy,
) {
  // The role is read from ADMIN_USERS at every answer, so a changed list needs no new sign-in.
  const withRole = (user: SessionUser, mustChangePassword: boolean) => ({
    ...user,
    admin: policy.isAdmin(user),
    ...(mustChangePassword ? { mustChangePassword: true } : {}),
  });

  /** The session's user, or null: how a client learns whether it is signed in. */
  serveRoute(app, 'me', async (request) => {
    const user = request.session.get('user');
    // Read each time: a reload after the reset still asks for the change, and no longer after it.
    return user ? withRole(user, await auth.mustChangePassword(user.id)) : null;
  });

  /** Signs in, or registers a name that does not exist yet (201). */
  serveRoute(app, 'login', async (request, reply) => {
    const { username, password } = request.body;
    const { user, created, mustChangePassword } = await auth.login(username, password, request.ip);
    // Only once the password is right: whether an account is banned is told to its owner alone.
    if (!created) await policy.assertMaySignIn(user.id);
    // A fresh session id at every sign-in: a planted cookie can't be promoted to a session.
    await request.session.regenerate();
    request.session.set('user', user);
    if (mustChangePassword) request.session.set('passwordChangeRequired', true);
    logAsUser(request, reply, user.id);
    return reply.status(created ? 201 : 200).send(withRole(user, mustChangePassword));
  });

  serveRoute(app, 'logout', async (request, reply) => {
    requireSignedIn(request);
    await request.session.destroy();
    return reply.status(204).send();
  });

  /** Every session of the user ends, this one too, with its sockets and streams everywhere. */
  serveRoute(app, 'logoutAll', async (request, reply) => {
    const user = requireSignedIn(request);
    await sessions.endSessionsOf(user.id, 'signed_out_everywhere');
    // This session's key is gone already; destroying it clears the cookie.
    await request.session.destroy();
    return reply.status(204).send();
  });

  /** A new password; the other sessions end (a thief's included), this one stays. */
  serveRoute(app, 'changePassword', async (request, reply) => {
    const user = requireSignedIn(request);
    const { current, password } = request.body;
    await auth.changePassword(user, current, password, request.ip);
    request.session.set('passwordChangeRequired', false);
    await sessions.endSessionsOf(user.id, 'password_changed', {
      except: request.session.sessionId,
    });
    return reply.status(204).send();
  });

  /** A free, valid username to prefill the sign-in form with. */
  serveRoute(app, 'randomName', async (_request, reply) =>
    reply.type('text/plain').send(await auth.suggestUsername()),
  );
}
