/**
 * Which parts `npm start` rebuilds (scripts/build.mjs): a copy of the sources next to a copy of
 * the current build's record, changed one way or another, asked with `--check` (which builds
 * nothing, so this runs in a moment).
 */
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const COPIED = [
  'src',
  'scripts/build.mjs',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.server.json',
  'vite.config.ts',
  'dist/.build-inputs.json',
  'dist/server/main.js',
  'dist/web/index.html',
];

let copy = '';

/** The parts `npm start` would build in the copy, by their names in build.mjs's message. */
function staleParts(): string[] {
  const check = spawnSync(process.execPath, ['scripts/build.mjs', '--check'], {
    cwd: copy,
    encoding: 'utf8',
  });
  if (check.status === 0) return [];
  const stale = /not built from the current sources: (.*)/.exec(check.stdout)?.[1];
  if (!stale) throw new Error(`unexpected answer: ${check.status} ${check.stdout} ${check.stderr}`);
  return stale.split(', ');
}

beforeEach(() => {
  const current = spawnSync(process.execPath, ['scripts/build.mjs', '--check'], {
    encoding: 'utf8',
  });
  if (current.status !== 0)
    throw new Error(`${current.stdout.trim()}: run \`npm run build\` first`);
  copy = mkdtempSync(join(tmpdir(), 'chat-build-'));
  for (const path of COPIED) cpSync(path, join(copy, path), { recursive: true });
});

afterEach(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
  copy = '';
});

describe('npm start rebuilds', () => {
  it('nothing when no input changed, even when files were touched', () => {
    expect(staleParts()).toEqual([]);
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(copy, 'src/server/main.ts'), future, future);
    utimesSync(join(copy, 'src/web/main.tsx'), future, future);
    expect(staleParts()).toEqual([]);
  });

  it('the server alone when a server source changes', () => {
    appendFileSync(join(copy, 'src/server/config.ts'), '\n// changed\n');
    expect(staleParts()).toEqual(['server']);
  });

  it('the web client alone when a web source changes', () => {
    appendFileSync(join(copy, 'src/web/main.tsx'), '\n// changed\n');
    expect(staleParts()).toEqual(['web client']);
  });

  it('both when the shared protocol or the locked dependencies change', () => {
    appendFileSync(join(copy, 'src/protocol/limits.ts'), '\n// changed\n');
    expect(staleParts()).toEqual(['server', 'web client']);
    cpSync('src/protocol/limits.ts', join(copy, 'src/protocol/limits.ts'));
    expect(staleParts()).toEqual([]);
    const lock = readFileSync(join(copy, 'package-lock.json'), 'utf8');
    writeFileSync(
      join(copy, 'package-lock.json'),
      lock.replace('"lockfileVersion"', '"x": 1, "lockfileVersion"'),
    );
    expect(staleParts()).toEqual(['server', 'web client']);
  });

  it('a part whose source file was removed or added, or whose output is missing', () => {
    rmSync(join(copy, 'src/web/styles.css'));
    expect(staleParts()).toEqual(['web client']);
    cpSync('src/web/styles.css', join(copy, 'src/web/styles.css'));
    writeFileSync(join(copy, 'src/server/new-module.ts'), 'export {};\n');
    expect(staleParts()).toEqual(['server']);
    rmSync(join(copy, 'src/server/new-module.ts'));
    rmSync(join(copy, 'dist/server/main.js'));
    expect(staleParts()).toEqual(['server']);
  });

  it('nothing for a change to a test file', () => {
    appendFileSync(join(copy, 'src/server/features/messages/rules.test.ts'), '\n// changed\n');
    expect(staleParts()).toEqual([]);
  });
});
