// `npm test`: type-check, lint and format check (zero warnings), build (the browser tests run
// against the production build), then every test project. The last line is the summary.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const VITEST = join('node_modules', 'vitest', 'vitest.mjs');

function run(title, command, args) {
  console.log(`\n> ${title}`);
  const result = spawnSync(command, args, { stdio: 'inherit', shell: false });
  if (result.status !== 0) {
    console.log(`\n${title} failed`);
    console.log('Tests: 0 passed, 1 failed');
    process.exit(result.status ?? 1);
  }
}

/**
 * Runs vitest, passing on SIGINT/SIGTERM so that it stops its workers (and they what they
 * started) before this script removes the report and exits.
 */
function runVitest(args) {
  // Node on vitest's entry rather than npx, whose shell would not pass a signal on.
  const child = spawn(process.execPath, [VITEST, ...args], { stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((done) =>
    child.once('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      done(signal ? 1 : (code ?? 1));
    }),
  );
}

const npx = 'npx';
run('type-check', npx, ['tsc', '-p', 'tsconfig.json']);
run('lint', npx, ['eslint', '.', '--max-warnings', '0']);
run('format check', npx, ['prettier', '--check', '.', '--log-level', 'warn']);
run('build', 'npm', ['run', 'build', '--silent']);

// The JSON report lives in a directory of its own, removed once read.
const reportDir = mkdtempSync(join(tmpdir(), 'chat-tests-'));
const report = join(reportDir, 'vitest.json');
console.log('\n> tests');
const status = await runVitest([
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
]);
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed = results.numPassedTests;
  // A file that fails before any of its tests runs (an import error, a failing beforeAll) counts
  // as a failed suite with no failed test in it; counting every failed suite as well would count
  // each failed test twice over (once itself, once per describe block around it).
  const emptyFailures = (results.testResults ?? []).filter(
    (file) =>
      file.status === 'failed' && !file.assertionResults?.some((t) => t.status === 'failed'),
  ).length;
  failed = results.numFailedTests + emptyFailures;
  skipped = results.numPendingTests + (results.numTodoTests ?? 0);
} catch {
  failed = Math.max(failed, 1);
} finally {
  rmSync(reportDir, { recursive: true, force: true });
}
if (status !== 0 && failed === 0) failed = 1;
console.log(`Tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
