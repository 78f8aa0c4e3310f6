/**
 * `npm run bench -- [scenario ...] [flags]`: see options.ts (or --help) for the flags and
 * docs/performance.md for what the figures mean and the latest ones.
 */
import { runBench } from './bench.js';
import { USAGE, parseOptions } from './options.js';
import { saveResults, table } from './report.js';

async function main() {
  const argv = process.argv.slice(2);
  let options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const run = await runBench(options, (result) => console.log(JSON.stringify(result)));
  console.log(`\n${run.deployment}\n${table(run.results)}`);
  const file = saveResults(options, run.deployment, run.results, argv);
  if (file) console.log(`\nsaved ${file}`);
}

main().catch((error: unknown) => {
  console.error('bench failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
