/**
 * Requests that change something must come from a page of this chat. A browser names the page
 * that sent a request in its Origin header; a request from another site's page — which the
 * browser would send with the user's cookie — is refused, and so is its Socket.IO handshake. A
 * request without an Origin header comes from a program rather than a browser page (curl, a
 * bot, the demo's server-side tools) and carries no ambient cookie by accident, so it passes.
 *
 * Bodies must be JSON: a cross-site form or a `text/plain` fetch, which browsers send without
 * asking the server first, is refused before any handler runs.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { forbidden } from '../errors.js';
import { type ProxyTrust, addressedOrigin } from './forwarded.js';

/** Methods that only read: a cross-site GET is harmless when reads need CORS, which is off. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(
    /** Origins allowed besides the one each request addressed (ALLOWED_ORIGINS). */
    allowedOrigins: readonly string[],
    private readonly trust: ProxyTrust,
  ) {
    this.allowed = new Set(allowedOrigins);
  }

  /** Why the request's page may not call this server, or null when it may. */
  refusal(request: IncomingMessage): string | null {
    const origin = request.headers.origin;
    if (origin === undefined) return null;
    let normalized: string | null = null;
    try {
      normalized = origin === 'null' ? null : new URL(origin).origin;
    } catch {
      normalized = null;
    }
    if (normalized !== null) {
      if (this.allowed.has(normalized)) return null;
      if (normalized === addressedOrigin(request, this.trust)) return null;
    }
    return `cross-site request refused: pages from ${origin.slice(0, 200)} may not use this chat`;
  }
}

/** Refuses state-changing requests from other sites' pages, and bodies that are not JSON. */
export function refuseCrossSiteWrites(app: FastifyInstance, policy: OriginPolicy): void {
  // Fastify reads text/plain bodies by default; only JSON is accepted here (415 unsupported_media_type).
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    const refusal = policy.refusal(request.raw);
    if (refusal) throw forbidden(refusal);
  });
}
