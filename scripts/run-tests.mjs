// `npm test`: type-check, lint and format check (zero warnings), build (the browser tests run
// against the production build), then every test project. The last line is the summary.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function run(title, command, args) {
  console.log(`\n> ${title}`);
  const result = spawnSync(command, args, { stdio: 'inherit', shell: false });
  if (result.status !== 0) {
    console.log(`\n${title} failed`);
    console.log('Tests: 0 passed, 1 failed');
    process.exit(result.status ?? 1);
  }
}

const npx = 'npx';
run('type-check', npx, ['tsc', '-p', 'tsconfig.json']);
run('lint', npx, ['eslint', '.', '--max-warnings', '0']);
run('format check', npx, ['prettier', '--check', '.', '--log-level', 'warn']);
run('build', 'npm', ['run', 'build', '--silent']);

const report = join(mkdtempSync(join(tmpdir(), 'chat-tests-')), 'vitest.json');
console.log('\n> tests');
const tests = spawnSync(
  npx,
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
  { stdio: 'inherit' },
);
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests + (results.numFailedTestSuites ?? 0);
  skipped = results.numPendingTests + (results.numTodoTests ?? 0);
} catch {
  failed = Math.max(failed, 1);
}
if (tests.status !== 0 && failed === 0) failed = 1;
console.log(`Tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
