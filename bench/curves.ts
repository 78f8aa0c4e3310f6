/**
 * `npm run bench:curves -- [--only NAME,...] [--plot-only] [--quiet-wait S] [--smoke]`: runs every
 * step of every curve in bench/curves/manifest.ts as one `npm run bench` run each (saved as
 * `curve-<name>-<step>`), then redraws each curve from the newest saved result of each step into
 * docs/curves/<name>.svg and writes docs/curves.md: a table and the chart per curve, and the
 * issue-12 targets checked against those results. `--plot-only` redraws without running.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { runBench } from './bench.js';
import { LOAD_GENERATOR_LAG_LIMIT_MS } from './context.js';
import {
  type Curve,
  type SavedCurves,
  type StepResult,
  type Target,
  cpuOf,
  stepLabel,
  xOf,
} from './curves/curve.js';
import { BEFORE, CURVES, TARGETS } from './curves/manifest.js';
import { REPO_ROOT } from './deployment.js';
import { parseOptions } from './options.js';
import { type Point, drawChart } from './plot-cost.js';
import { RESULTS_DIR, type ScenarioResult, lagCell, saveResults, table } from './report.js';

export interface CurvesOptions {
  /** Curves to run (all when null); the document always shows every curve that has results. */
  only: string[] | null;
  plotOnly: boolean;
  smoke: boolean;
  /** Flags passed to every step's bench run (`--quiet-wait S`, `--server tsx`). */
  benchArgs: string[];
  resultsDir: string;
  /** Where curves.md and curves/<name>.svg go. */
  outDir: string;
}

export const CURVES_USAGE = `npm run bench:curves -- [flags]

Runs each curve of bench/curves/manifest.ts step by step (one bench run per step, saved as
bench/results/<date>-curve-<name>-<step>.json), then draws docs/curves/<name>.svg and writes
docs/curves.md (tables, charts, the issue-12 targets) from the newest result of each step.

  --only NAME[,NAME...]  run only these curves (${CURVES.map((c) => c.name).join(', ')})
  --plot-only            run nothing: redraw the charts and curves.md from the saved results
  --quiet-wait S         passed to every run (default: the bench's own, 60 s)
  --server tsx|dist      passed to every run
  --smoke                tiny steps with the bench's --smoke parameters (labels curve-smoke-…)
  --results-dir DIR      where results are saved and read (default bench/results)
  --out-dir DIR          where curves.md and curves/*.svg go (default docs)
`;

export function parseCurvesOptions(argv: string[]): CurvesOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      only: { type: 'string' },
      'plot-only': { type: 'boolean' },
      'quiet-wait': { type: 'string' },
      server: { type: 'string' },
      smoke: { type: 'boolean' },
      'results-dir': { type: 'string' },
      'out-dir': { type: 'string' },
    },
  });
  if (values.help) return 'help';
  const only = values.only ? values.only.split(',').map((name) => name.trim()) : null;
  for (const name of only ?? []) {
    if (!CURVES.some((c) => c.name === name)) {
      throw new Error(
        `--only: no curve "${name}" (known: ${CURVES.map((c) => c.name).join(', ')})`,
      );
    }
  }
  const benchArgs = [
    ...(values['quiet-wait'] === undefined ? [] : ['--quiet-wait', values['quiet-wait']]),
    ...(values.server === undefined ? [] : ['--server', values.server]),
  ];
  return {
    only,
    plotOnly: values['plot-only'] ?? false,
    smoke: values.smoke ?? false,
    benchArgs,
    resultsDir: values['results-dir'] ?? RESULTS_DIR,
    outDir: values['out-dir'] ?? join(REPO_ROOT, 'docs'),
  };
}

const labelOf = (curve: Curve, step: number, smoke: boolean) =>
  smoke ? stepLabel(`smoke-${curve.name}`, step) : stepLabel(curve.name, step);

const stepsOf = (curve: Curve, smoke: boolean) => (smoke ? curve.smokeSteps : curve.steps);

/** The bench command line of one step: what its results file records, and how to redo it. */
export function stepArgv(curve: Curve, step: number, options: CurvesOptions): string[] {
  return [
    curve.scenario,
    curve.flag,
    String(step),
    ...(options.smoke ? [...(curve.smokeArgs ?? curve.args), '--smoke'] : curve.args),
    ...options.benchArgs,
    '--label',
    labelOf(curve, step, options.smoke),
  ];
}

const seconds = (since: number) => Math.round((performance.now() - since) / 1000);

/** Runs the chosen curves' steps; answers the steps that failed (the others are saved). */
export async function runCurves(options: CurvesOptions): Promise<string[]> {
  const failed: string[] = [];
  const chosen = CURVES.filter((c) => !options.only || options.only.includes(c.name));
  mkdirSync(options.resultsDir, { recursive: true });
  const started = performance.now();
  for (const curve of chosen) {
    for (const step of stepsOf(curve, options.smoke)) {
      const stepStarted = performance.now();
      const argv = stepArgv(curve, step, options);
      console.error(`bench:curves: ${curve.name} ${step}: npm run bench -- ${argv.join(' ')}`);
      try {
        const benchOptions = parseOptions(argv);
        if (benchOptions === 'help') throw new Error('unexpected --help');
        const run = await runBench(benchOptions);
        console.log(`\n${curve.name} ${step}: ${run.deployment}\n${table(run.results)}`);
        saveResults(benchOptions, run.deployment, run.results, argv, options.resultsDir);
      } catch (error) {
        // A step that fails (too many sockets for this machine…) leaves a gap, not a lost run.
        console.error(`bench:curves: ${curve.name} ${step} failed:`, error);
        failed.push(`${curve.name} ${step}`);
      }
      console.error(`bench:curves: ${curve.name} ${step} took ${seconds(stepStarted)} s`);
    }
  }
  // What the whole run takes: the default steps should stay within ~25 minutes on 2 cores.
  console.error(`bench:curves: ran in ${seconds(started)} s`);
  return failed;
}

interface SavedFile {
  date: string;
  command: string;
  results: ScenarioResult[];
}

/**
 * Newest result of each label among the saved files (their names start with the date); with
 * `savedBefore`, among those saved before that date only (the "before" line of a chart).
 */
export function readSavedCurves(
  resultsDir: string,
  curves: Curve[],
  smoke: boolean,
  savedBefore?: string,
): SavedCurves {
  const files = readdirSync(resultsDir)
    .filter((name) => name.endsWith('.json'))
    .filter((name) => savedBefore === undefined || name < savedBefore)
    .sort();
  const newest = new Map<string, string>();
  // Names are `<19-character date>-<label>.json`; sorted, the last of a label is the newest.
  for (const name of files) newest.set(basename(name, '.json').slice(20), name);
  const lookup = (curveName: string, step: number): StepResult | undefined => {
    const curve = curves.find((c) => c.name === curveName);
    const name = curve && newest.get(labelOf(curve, step, smoke));
    if (!curve || !name) return undefined;
    const file = join(resultsDir, name);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedFile;
    const result = saved.results.find((r) => r.scenario === curve.scenario);
    return result && { step, file, command: saved.command, date: saved.date, result };
  };
  return {
    step: lookup,
    steps: (curveName) => {
      const curve = curves.find((c) => c.name === curveName);
      if (!curve) return [];
      return stepsOf(curve, smoke).flatMap((step) => lookup(curveName, step) ?? []);
    },
  };
}

const figure = (value: number | undefined) => {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (Math.abs(value) >= 100) return String(Math.round(value));
  return String(Math.round(value * 100) / 100);
};

/** The generator lagged: its loop (any scenario), or its senders fell behind (messaging). */
const lagging = (result: ScenarioResult) =>
  Boolean(cpuOf(result)?.loadGenerator.lagging) ||
  ('loadGeneratorLagging' in result && result.loadGeneratorLagging);

const markdownTable = (header: string[], rows: string[][]) =>
  [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');

function curveSection(curve: Curve, steps: StepResult[], svgName: string | null): string {
  const rows = steps.map((s) => {
    const cpu = cpuOf(s.result);
    return [
      curve.x ? `${xOf(curve, s)} (${curve.flag} ${s.step})` : String(s.step),
      ...curve.metrics.map((metric) => figure(metric.value(s.result))),
      figure(cpu?.loadAverage1m),
      figure(cpu?.other.cores),
      lagCell(cpu, '**lagging**', lagging(s.result)),
    ];
  });
  const template = stepArgv(curve, 0, {
    only: null,
    plotOnly: false,
    smoke: false,
    benchArgs: [],
    resultsDir: '',
    outDir: '',
  })
    .slice(0, -2)
    .map((arg, i) => (i === 2 ? '<step>' : arg))
    .join(' ');
  return [
    `## ${curve.title}`,
    '',
    `\`npm run bench:curves -- --only ${curve.name}\`; each step is \`npm run bench -- ${template}\`.`,
    '',
    steps.length === 0
      ? '_No results saved yet._'
      : markdownTable(
          [
            curve.xLabel,
            ...curve.metrics.map((m) => m.label),
            'load avg (1 min)',
            'other cores',
            'load gen lag p99 / max (ms)',
          ],
          rows,
        ),
    ...(svgName ? ['', `![${curve.title}](${svgName})`] : []),
    '',
  ].join('\n');
}

/** How quiet the machine was for these results: a verdict from a busy machine says so. */
function conditions(steps: StepResult[]): string {
  const cpus = steps.flatMap((s) => cpuOf(s.result) ?? []);
  if (cpus.length === 0) return '–';
  const load = Math.max(...cpus.map((cpu) => cpu.loadAverage1m));
  const other = Math.max(...cpus.map((cpu) => cpu.other.cores));
  const lagged = steps.some((s) => lagging(s.result));
  return `load ${figure(load)}, other ${figure(other)} cores${lagged ? ', generator **lagging**' : ''}`;
}

function targetsSection(targets: Target[], saved: SavedCurves): string {
  const rows = targets.map((target) => {
    const outcome = target.evaluate(saved);
    if (!outcome) return [target.text, '–', 'no result yet', '–', '–'];
    return [
      target.text,
      outcome.measured,
      outcome.met ? 'met' : '**not met**',
      outcome.from,
      conditions(outcome.steps ?? []),
    ];
  });
  return [
    '## Targets',
    '',
    'Each checked against the newest saved result of the steps it names.',
    '',
    markdownTable(
      ['target (issue 12)', 'measured', 'status', 'curve, step', 'taken at (worst of its steps)'],
      rows,
    ),
    '',
  ].join('\n');
}

/** Draws every curve that has results and writes curves.md; answers the files written. */
export function drawCurves(options: CurvesOptions): string[] {
  const saved = readSavedCurves(options.resultsDir, CURVES, options.smoke);
  const before = options.smoke
    ? null
    : readSavedCurves(options.resultsDir, CURVES, false, BEFORE.savedBefore);
  const svgDir = join(options.outDir, 'curves');
  mkdirSync(svgDir, { recursive: true });
  const written: string[] = [];
  const sections = CURVES.map((curve) => {
    const steps = saved.steps(curve.name);
    if (steps.length === 0) return curveSection(curve, steps, null);
    const svg = join(svgDir, `${curve.name}.svg`);
    const beforeSteps = before?.steps(curve.name) ?? [];
    writeFileSync(
      svg,
      drawChart({
        xLabel: curve.xLabel,
        yLabel: curve.plot.yLabel,
        partLabel: curve.plot.part?.label ?? '',
        logX: curve.plot.logX,
        lines: beforeSteps.length
          ? [
              { name: 'the newest run', points: pointsOf(curve, steps) },
              { name: BEFORE.line, points: pointsOf(curve, beforeSteps) },
            ]
          : [{ name: curve.plot.y.label, points: pointsOf(curve, steps) }],
      }),
    );
    written.push(svg);
    return curveSection(curve, steps, relative(options.outDir, svg));
  });
  const newest = CURVES.flatMap((c) => saved.steps(c.name).map((s) => s.date))
    .sort()
    .at(-1);
  const doc = [
    '# Curves',
    '',
    '<!-- Generated by `npm run bench:curves` (bench/curves.ts) from bench/results: do not edit. -->',
    '',
    `Redrawn with \`npm run bench:curves -- --plot-only\`; ${newest ? `the newest result is from ${newest}` : 'no result is saved yet'}.`,
    'Every step is one `npm run bench` run; its load average and the cores used by other processes',
    'say how quiet the machine was. A step is marked **lagging** when the load generator’s own',
    `event-loop delay had a p99 above ${LOAD_GENERATOR_LAG_LIMIT_MS} ms in its measurement window: its`,
    'latencies then include the generator’s queueing, not only the server’s.',
    `Where a chart has a second line, it is “${BEFORE.line}”: ${BEFORE.meaning}`,
    '',
    targetsSection(TARGETS, saved),
    ...sections,
  ].join('\n');
  const md = join(options.outDir, 'curves.md');
  writeFileSync(md, doc);
  written.push(md);
  return written;
}

/** A curve's chart points: the step (or its x) against the plotted metric and its part. */
function pointsOf(curve: Curve, steps: StepResult[]): Point[] {
  return steps.flatMap((s) => {
    const y = curve.plot.y.value(s.result);
    if (y === undefined) return [];
    const part = curve.plot.part?.value(s.result);
    return [
      {
        x: xOf(curve, s),
        y,
        part: part ?? null,
        loadAverage: cpuOf(s.result)?.loadAverage1m ?? null,
      },
    ];
  });
}

/** The whole command: runs (unless --plot-only), then draws; null for --help. */
export async function curvesCommand(
  argv: string[],
): Promise<{ failed: string[]; written: string[] } | null> {
  const options = parseCurvesOptions(argv);
  if (options === 'help') return null;
  const failed = options.plotOnly ? [] : await runCurves(options);
  return { failed, written: drawCurves(options) };
}

async function main() {
  const argv = process.argv.slice(2);
  try {
    parseCurvesOptions(argv);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${CURVES_USAGE}`);
    process.exit(2);
  }
  const outcome = await curvesCommand(argv);
  if (!outcome) {
    console.log(CURVES_USAGE);
    return;
  }
  for (const file of outcome.written) console.log(`bench:curves: wrote ${file}`);
  if (outcome.failed.length > 0) {
    console.error(`bench:curves: failed steps: ${outcome.failed.join(', ')}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error('bench:curves failed:', error instanceof Error ? error.stack : error);
    process.exit(1);
  });
}
