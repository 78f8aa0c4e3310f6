/**
 * `npm run bench:curves -- --smoke`, end to end on one curve's two tiny steps: each step is a real
 * bench run (its own Redis and server), saved, then drawn. Results, chart and document go to a
 * temporary folder, removed afterwards. It checks that what is drawn and tabulated is what the
 * runs saved; timings are not asserted.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { curvesCommand } from '../../bench/curves.js';
import { CURVES } from '../../bench/curves/manifest.js';
import type { ScenarioResult } from '../../bench/report.js';

const dir = mkdtempSync(join(tmpdir(), 'bench-curves-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const history = CURVES.find((curve) => curve.name === 'history');
if (!history) throw new Error('the manifest has no history curve');

const figure = (value: number | undefined) =>
  value === undefined ? '–' : String(Math.abs(value) >= 100 ? Math.round(value) : value);

describe('npm run bench:curves -- --smoke', () => {
  it('runs each step, saves it, and draws the chart and table from what was saved', async () => {
    const argv = ['--smoke', '--only', 'history', '--server', 'tsx', '--quiet-wait', '0'];
    const paths = ['--results-dir', join(dir, 'results'), '--out-dir', join(dir, 'out')];
    const outcome = await curvesCommand([...argv, ...paths]);
    expect(outcome?.failed).toEqual([]);

    const saved = readdirSync(join(dir, 'results')).sort();
    expect(saved.map((name) => name.slice(20))).toEqual(
      history.smokeSteps.map((step) => `curve-smoke-history-${step}.json`),
    );
    const doc = readFileSync(join(dir, 'out', 'curves.md'), 'utf8');
    const svg = readFileSync(join(dir, 'out', 'curves', 'history.svg'), 'utf8');
    for (const [i, step] of history.smokeSteps.entries()) {
      const run = JSON.parse(readFileSync(join(dir, 'results', saved[i] as string), 'utf8')) as {
        command: string;
        results: ScenarioResult[];
      };
      expect(run.command).toContain(`--history-messages ${step}`);
      const result = run.results[0];
      if (result?.scenario !== 'history') throw new Error('expected a history result');
      expect(result).toMatchObject({ roomMessages: step, failed: 0 });
      // The table row: the step, then the page rate and failures the run saved.
      expect(doc).toContain(
        `| ${step} | ${figure(result.requestsPerS)} | 0 | ${figure(result.latencyMs.p50)} |`,
      );
      // The chart's point for the step, at its p99.
      expect(svg).toContain(`p99 (ms), ${step}: ${Math.round(result.latencyMs.p99 * 10) / 10}`);
      expect(result.cpu.loadGenerator.lagMs?.max).toBeGreaterThanOrEqual(0);
    }
    // The 1M-message target has no result in a smoke run: said so, not guessed.
    expect(doc).toMatch(/A page from a 1M-message room < 5 ms p99 \| – \| no result yet/);

    // --plot-only redraws the same document from the saved results.
    const redrawn = await curvesCommand(['--smoke', '--plot-only', ...paths]);
    expect(redrawn?.failed).toEqual([]);
    expect(readFileSync(join(dir, 'out', 'curves.md'), 'utf8')).toBe(doc);
  }, 120_000);
});
