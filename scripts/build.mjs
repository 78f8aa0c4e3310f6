// Builds the server (tsc → dist/server) and the web client (Vite → dist/web).
//
//   node scripts/build.mjs          builds only the parts whose inputs changed (`npm start`)
//   node scripts/build.mjs --all    builds both (`npm run build`)
//   node scripts/build.mjs --check  builds nothing; exit status 1 when a part is out of date
//
// After a part builds, a hash of its input files (sources, compiler settings, package-lock.json)
// is kept in dist/.build-inputs.json; a part is stale when the hash of its files as they are now
// differs, or its output is missing. Content hashes rather than modification times: a checkout,
// copy or restore that leaves a changed file with an older time still counts as a change, and a
// file that was only touched costs no rebuild. Hashing the hundred-odd inputs takes a few ms.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP_FILE = join(ROOT, 'dist', '.build-inputs.json');
const SHARED_INPUTS = ['package-lock.json', 'tsconfig.json'];
const isTestFile = (path) => /\.test\.tsx?$/.test(path);

/** Each part: the npm script that builds it, a file it always outputs, and what it reads. */
const PARTS = {
  server: {
    label: 'server',
    script: 'build:server',
    output: 'dist/server/main.js',
    files: ['tsconfig.server.json', ...SHARED_INPUTS],
    // Everything under src/ except the web client: the server and the shared protocol.
    sourcesExcept: 'src/web',
  },
  web: {
    label: 'web client',
    script: 'build:web',
    output: 'dist/web/index.html',
    files: ['vite.config.ts', ...SHARED_INPUTS],
    sourcesExcept: 'src/server',
  },
};

function inputFiles(part) {
  const sources = readdirSync(join(ROOT, 'src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .filter((path) => !path.startsWith(`${part.sourcesExcept}/`) && !isTestFile(path));
  return [...part.files.filter((path) => existsSync(join(ROOT, path))), ...sources].sort();
}

function inputHash(part) {
  const hash = createHash('sha256');
  for (const path of inputFiles(part)) {
    hash
      .update(path)
      .update('\0')
      .update(readFileSync(join(ROOT, path)))
      .update('\0');
  }
  return hash.digest('hex');
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(STAMP_FILE, 'utf8'));
  } catch {
    return {};
  }
}

/** The build under way, so that a signal can stop it. */
let running = null;

function runScript(script) {
  return new Promise((done, fail) => {
    running = spawn('npm', ['run', '--silent', script], { cwd: ROOT, stdio: 'inherit' });
    running.once('error', fail);
    running.once('exit', (code, signal) => {
      running = null;
      if (code === 0) done();
      else fail(new Error(`npm run ${script} failed${signal ? ` (${signal})` : ''}`));
    });
  });
}

/** SIGTERM/SIGINT while building: stop the build and exit as the signal would. */
function exitOnSignal(signal) {
  const exitCode = 128 + (signal === 'SIGINT' ? 2 : 15);
  if (!running) process.exit(exitCode);
  running.once('exit', () => process.exit(exitCode));
  running.kill(signal);
}

/** All parts, or those whose inputs changed since they were built or whose output is missing. */
function partsToBuild(all) {
  const stamp = readStamp();
  const parts = Object.entries(PARTS).map(([name, part]) => ({
    name,
    part,
    hash: inputHash(part),
  }));
  return {
    stamp,
    work: parts.filter(
      ({ name, part, hash }) => all || stamp[name] !== hash || !existsSync(join(ROOT, part.output)),
    ),
  };
}

/**
 * Builds the stale parts (every part with `all`), recording each one's input hash once it built.
 * Answers the names of the parts built.
 */
export async function build({ all = false, log = console.log } = {}) {
  const { stamp, work } = partsToBuild(all);
  if (work.length === 0) return [];
  if (!existsSync(join(ROOT, 'node_modules', '.bin', 'tsc'))) {
    throw new Error('the build tools are missing: run `npm install` (or `npm ci`) first');
  }
  process.on('SIGTERM', exitOnSignal);
  process.on('SIGINT', exitOnSignal);
  try {
    for (const { name, part, hash } of work) {
      if (!all) log(`building the ${part.label} (its sources changed since the last build)…`);
      await runScript(part.script);
      stamp[name] = hash;
      mkdirSync(dirname(STAMP_FILE), { recursive: true });
      writeFileSync(STAMP_FILE, `${JSON.stringify(stamp, null, 2)}\n`);
    }
  } finally {
    process.off('SIGTERM', exitOnSignal);
    process.off('SIGINT', exitOnSignal);
  }
  return work.map(({ name }) => name);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    // Builds nothing: exit status 1, naming them, when some parts need building.
    const stale = partsToBuild(false).work.map(({ part }) => part.label);
    if (stale.length > 0) console.log(`not built from the current sources: ${stale.join(', ')}`);
    process.exitCode = stale.length > 0 ? 1 : 0;
  } else {
    build({ all: process.argv.includes('--all') }).catch((error) => {
      console.error(error.message);
      process.exit(1);
    });
  }
}
