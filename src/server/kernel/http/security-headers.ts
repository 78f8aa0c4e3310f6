/**
 * Security headers on every response — the web client, the API, errors, static files, and the
 * Socket.IO long-polling answers that Fastify never sees — from one helmet configuration.
 *
 * - Content-Security-Policy: scripts, styles, fonts and connections from this origin only (no
 *   inline script or style), images from here or `data:` (the inline icon), no plugins, no
 *   `<base>`, forms posting here only, and no framing by any site (`frame-ancestors 'none'`,
 *   with X-Frame-Options for older browsers).
 * - X-Content-Type-Options: nosniff, so no answer is read as a script or style it is not.
 * - Referrer-Policy: no-referrer, so a link opened from a message does not tell the other site
 *   which room it was in.
 * - Strict-Transport-Security is left to the TLS proxy in front, which knows the domain's
 *   policy (see the README's "Security").
 */
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import type { ChatServer } from '../realtime/socket-types.js';

export const SECURITY_HEADERS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  referrerPolicy: { policy: 'no-referrer' as const },
  strictTransportSecurity: false,
  xFrameOptions: { action: 'deny' as const },
};

export async function registerSecurityHeaders(app: FastifyInstance, io: ChatServer) {
  await app.register(fastifyHelmet, SECURITY_HEADERS);
  io.engine.use(helmet(SECURITY_HEADERS));
}
