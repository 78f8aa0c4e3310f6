/**
 * Serves the web client's production build at / when it has been built. Unknown paths that a
 * browser navigates to get index.html, so the client's own routes survive a reload.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export async function serveWebClient(app: FastifyInstance, distDir: string): Promise<boolean> {
  const root = resolve(distDir);
  if (!existsSync(join(root, 'index.html'))) return false;
  await app.register(fastifyStatic, { root, wildcard: false, index: ['index.html'] });
  return true;
}

/** True for a browser navigation (as opposed to an API call that wants JSON). */
export const wantsHtml = (method: string, accept: string | undefined) =>
  method === 'GET' && !!accept && accept.includes('text/html');
