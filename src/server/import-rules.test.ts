/**
 * The import rules of the code base (.dependency-cruiser.mjs), over all of src/: in the server no
 * import loops, the kernel knows no feature, a feature reaches another only through its index.ts,
 * interop/ is known to app.ts only, domain files import no Redis, Socket.IO or Fastify, and
 * nothing imports the web client; the contract (src/protocol) imports nothing but zod; the web
 * client has no import loops (its other arrows are eslint's, in eslint.config.js).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const DEPCRUISE = join('node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');

it('the code keeps its import rules', () => {
  const run = spawnSync(process.execPath, [DEPCRUISE, 'src', '--output-type', 'err'], {
    encoding: 'utf8',
  });
  // The report names every broken rule with the chain of imports that breaks it.
  expect(run.stdout + run.stderr).toContain('no dependency violations found');
  expect(run.status).toBe(0);
});
