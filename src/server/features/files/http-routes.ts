/**
 * The files' routes. An upload's body is the file itself, read here as it streams in and cut off
 * at MAX_UPLOAD_BYTES: this scope parses every media type (JSON too, a .json file is a file) into
 * bytes. What is served never runs on our origin: nosniff, a sandboxing CSP, and inline only for
 * the image types recognized by their bytes.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { serveRoute } from '../../kernel/http/routes.js';
import { requireUser } from '../../kernel/sessions/http-session.js';
import type { FileRules, Served } from './rules.js';

/** Nothing in a served file may run, load anything, or be framed by another site. */
const FILE_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

/** `filename*` (RFC 6266/8187) for any name; `filename` an ASCII fallback. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function fileHeaders(reply: FastifyReply, type: string) {
  return (
    reply
      .header('Content-Type', type)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Security-Policy', FILE_CSP)
      .header('Cross-Origin-Resource-Policy', 'same-origin')
      // Private: behind a session. Immutable: a file id never changes its bytes.
      .header('Cache-Control', 'private, max-age=86400, immutable')
  );
}

export function fileRoutes(app: FastifyInstance, rules: FileRules, maxUploadBytes: number) {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (request, payload, done) => {
      const declared = Number(request.headers['content-length']);
      try {
        if (Number.isFinite(declared)) rules.assertSize(declared);
      } catch (error) {
        done(error as Error, undefined);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let failed = false;
      payload.on('data', (chunk: Buffer) => {
        if (failed) return;
        size += chunk.length;
        if (size > maxUploadBytes) {
          failed = true;
          try {
            rules.assertSize(size);
          } catch (error) {
            done(error as Error, undefined);
          }
          return;
        }
        chunks.push(chunk);
      });
      payload.on('end', () => {
        if (!failed) done(null, Buffer.concat(chunks));
      });
      payload.on('error', (error) => {
        if (!failed) done(error, undefined);
        failed = true;
      });
    });

    serveRoute(scope, 'uploadFile', async (request, reply) => {
      const user = requireUser(request);
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const ref = await rules.upload(
        user,
        request.params.id,
        request.query.name,
        request.headers['content-type'],
        body,
      );
      return reply.status(201).send(ref);
    });
  });

  serveRoute(app, 'file', async (request, reply) => {
    const served: Served = await rules.find(
      requireUser(request),
      request.params.id,
      request.params.fileId,
    );
    const bytes = await rules.bytesOf(served);
    fileHeaders(reply, served.file.type)
      .header('Content-Length', String(served.file.size))
      .header('Content-Disposition', contentDisposition(served.disposition, served.file.name));
    // Bytes, not the table's string: Fastify sends streams and buffers as they are.
    return reply.status(200).send(Readable.from(bytes) as never);
  });

  serveRoute(app, 'fileThumbnail', async (request, reply) => {
    const thumbnail = await rules.thumbnailOf(
      requireUser(request),
      request.params.id,
      request.params.fileId,
    );
    fileHeaders(reply, 'image/webp').header('Content-Disposition', 'inline');
    return reply.status(200).send(thumbnail as never);
  });
}
