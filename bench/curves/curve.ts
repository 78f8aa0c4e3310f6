/**
 * What a curve is: one scenario run once per step of a swept flag (every step a whole
 * `npm run bench` run, saved as `curve-<name>-<step>`), the figures read from each step's result,
 * and which of them the chart draws. The manifest lists the curves; bench/curves.ts runs and
 * draws them.
 */
import type { CpuSplit } from '../context.js';
import type { ScenarioName } from '../options.js';
import type { ScenarioResult } from '../report.js';

export type ResultOf<S extends ScenarioName> = Extract<
  ScenarioResult,
  { scenario: S extends 'general' | 'private' ? 'general' | 'private' : S }
>;

/** One figure of a step: a column of the curve's table, maybe its chart's line. */
export interface Metric {
  label: string;
  value: (result: ScenarioResult) => number | undefined;
}

export interface Curve {
  /** File and label name: results are saved as `curve-<name>-<step>`. */
  name: string;
  /** What the curve shows, as the heading of its section. */
  title: string;
  scenario: ScenarioName;
  /** The flag whose value is the step (`--connections`, `--instances`, …). */
  flag: string;
  steps: number[];
  /** Tiny steps for `--smoke` (the test), run with the bench's own `--smoke` parameters. */
  smokeSteps: number[];
  /** Flags every step gets, the same at each step. */
  args: string[];
  /** Instead of `args` with `--smoke`, where those would not fit the tiny steps. */
  smokeArgs?: string[];
  xLabel: string;
  /**
   * Where a step sits on the x axis when that is not the flag's value, read from its result
   * (members online = users × `--general-tabs`); the step itself by default.
   */
  x?: (result: ScenarioResult) => number | undefined;
  /** Columns of the table, after the step. */
  metrics: Metric[];
  /** The chart: `y` solid, `part` (a share of it, or a second figure in the same unit) dashed. */
  plot: { y: Metric; part?: Metric; yLabel: string; logX?: boolean };
}

/** Declares a curve with metrics typed by its scenario's result. */
export function curve<S extends ScenarioName>(
  definition: Omit<Curve, 'scenario' | 'metrics' | 'plot' | 'args' | 'x'> & {
    scenario: S;
    args?: string[];
    x?: (result: ResultOf<S>) => number | undefined;
    metrics: { label: string; value: (result: ResultOf<S>) => number | undefined }[];
    /** Labels of the metrics the chart draws. */
    plot: { y: string; part?: string; yLabel: string; logX?: boolean };
  },
): Curve {
  const metrics = definition.metrics.map((metric): Metric => ({
    label: metric.label,
    value: (result) =>
      result.scenario === definition.scenario ? metric.value(result as ResultOf<S>) : undefined,
  }));
  const byLabel = (label: string | undefined) => {
    if (label === undefined) return undefined;
    const found = metrics.find((metric) => metric.label === label);
    if (!found) throw new Error(`curve ${definition.name}: no metric "${label}" to plot`);
    return found;
  };
  const { x } = definition;
  return {
    ...definition,
    x:
      x &&
      ((result) =>
        result.scenario === definition.scenario ? x(result as ResultOf<S>) : undefined),
    args: definition.args ?? [],
    metrics,
    plot: {
      y: byLabel(definition.plot.y) as Metric,
      part: byLabel(definition.plot.part),
      yLabel: definition.plot.yLabel,
      logX: definition.plot.logX,
    },
  };
}

/** Where a step's result sits on the curve's x axis. */
export const xOf = (curve: Curve, step: StepResult) => curve.x?.(step.result) ?? step.step;

/** The label a step's results are saved under. */
export const stepLabel = (curveName: string, step: number) => `curve-${curveName}-${step}`;

/** The CPU split of a result (the rooms scenario keeps one per step; a curve runs one step). */
export function cpuOf(result: ScenarioResult): CpuSplit | undefined {
  return 'cpu' in result ? result.cpu : result.steps[0]?.cpu;
}

/** The newest saved result of each step, and how it was taken. */
export interface StepResult {
  step: number;
  file: string;
  command: string;
  date: string;
  result: ScenarioResult;
}

/** Newest results by curve and step, as bench/curves.ts read them from the results folder. */
export interface SavedCurves {
  step(curveName: string, step: number): StepResult | undefined;
  /** Every step of the curve that has a result, in step order. */
  steps(curveName: string): StepResult[];
}

/** An issue-12 target, checked against the newest results. */
export interface Target {
  /** The target as the issue states it. */
  text: string;
  /**
   * Null when no result the target needs has been saved yet. `steps`: the results it read, whose
   * load average and generator lag the targets table shows beside the verdict.
   */
  evaluate(
    saved: SavedCurves,
  ): { measured: string; met: boolean; from: string; steps?: StepResult[] } | null;
}
