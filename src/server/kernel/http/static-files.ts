/**
 * Serves the web client's production build at / when it has been built. Unknown paths that a
 * browser navigates to get index.html, so the client's own routes survive a reload.
 *
 * Caching: the files under /assets/ are named after a hash of their content (Vite), so a
 * browser may keep them for good; everything else (index.html, which names the current assets)
 * is revalidated on every load, so a deploy is picked up at the next reload.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const HASHED_ASSETS = '/assets/';
export const HASHED_ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';

export async function serveWebClient(app: FastifyInstance, distDir: string): Promise<boolean> {
  const root = resolve(distDir);
  if (!existsSync(join(root, 'index.html'))) return false;
  await app.register(fastifyStatic, { root, wildcard: false, index: ['index.html'] });
  // After @fastify/static set its own default (max-age=0) and only on what it served: an
  // unknown /assets/ path answers 404 and must not be cached for a year.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith(HASHED_ASSETS) && reply.statusCode === 200) {
      reply.header('cache-control', HASHED_ASSET_CACHE_CONTROL);
    }
  });
  return true;
}

/** True for a browser navigation (as opposed to an API call that wants JSON). */
export const wantsHtml = (method: string, accept: string | undefined) =>
  method === 'GET' && !!accept && accept.includes('text/html');
