/**
 * The server's import rules (.dependency-cruiser.mjs): no import loops, the kernel knows no
 * feature, a feature reaches another only through its index.ts, interop/ is known to app.ts only,
 * domain files import no Redis, Socket.IO or Fastify, and nothing imports the web client.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const DEPCRUISE = join('node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');

it('the server keeps its import rules', () => {
  const run = spawnSync(process.execPath, [DEPCRUISE, 'src/server', '--output-type', 'err'], {
    encoding: 'utf8',
  });
  // The report names every broken rule with the chain of imports that breaks it.
  expect(run.stdout + run.stderr).toContain('no dependency violations found');
  expect(run.status).toBe(0);
});
