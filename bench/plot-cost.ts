/**
 * A small SVG of cost against load from saved bench results, one line per label prefix. By
 * scenario (--scenario, default private): private — offered rate (x), CPU per message of the
 * servers and Redis together (y), Redis's share dashed; connections — connections open (x),
 * server RSS per connection (y); rooms — rooms per user (x), room list p99 (y) with the server's
 * CPU per list dashed. Files are grouped
 * into lines by a label prefix, so repeated runs at one point show as several points.
 *
 *   npx tsx bench/plot-cost.ts --out docs/cluster-cost.svg \
 *     --title "offered load, private messages/s (3 instances)" \
 *     --line "one Redis=cluster-ab-single" --line "Redis Cluster=cluster-ab-cluster" \
 *     bench/results/*-cluster-ab-*.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

interface Point {
  x: number;
  /** The whole cost (solid line). */
  y: number;
  /** A part of it, drawn dashed (Redis's share); null when the curve has none. */
  part: number | null;
  loadAverage: number | null;
}

interface SavedResult {
  scenario: string;
  cpu?: { redis: { s: number } | null; loadAverage1m?: number };
  [field: string]: unknown;
}

interface RoomsStepSaved {
  rooms: number;
  serverCpuUsPerList: number;
  listMs: { p99: number };
  cpu: { loadAverage1m?: number };
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
const WIDTH = 640;
const HEIGHT = 360;
const MARGIN = { left: 64, right: 160, top: 24, bottom: 48 };

/** What each scenario's curve plots, from one saved result. */
const CURVES: Record<
  string,
  { xLabel: string; yLabel: string; partLabel: string; points: (r: SavedResult) => Point[] }
> = {
  private: {
    xLabel: 'offered load, private messages/s',
    yLabel: 'CPU µs per message',
    partLabel: 'its Redis part',
    points: (r) =>
      Number(r.messages) > 0
        ? [
            {
              x: Number(r.offeredRate),
              y:
                Number(r.serverCpuUsPerMessage) +
                ((r.cpu?.redis?.s ?? 0) * 1e6) / Number(r.messages),
              part: ((r.cpu?.redis?.s ?? 0) * 1e6) / Number(r.messages),
              loadAverage: r.cpu?.loadAverage1m ?? null,
            },
          ]
        : [],
  },
  connections: {
    xLabel: 'idle connections',
    yLabel: 'server RSS KB per connection',
    partLabel: '',
    // One point per step; results before the steps were one step, at the top level.
    points: (r) =>
      ((r.steps as SavedResult[] | undefined) ?? [r])
        .filter((step) => Number(step.opened) > 0)
        .map((step) => ({
          x: Number(step.connections ?? step.opened),
          y: Number(step.rssKBPerConnection),
          part: null,
          loadAverage: step.cpu?.loadAverage1m ?? null,
        })),
  },
  rooms: {
    xLabel: 'rooms per user',
    yLabel: 'room list p99 ms',
    partLabel: 'server CPU per list',
    points: (r) =>
      (r.steps as RoomsStepSaved[]).map((step) => ({
        x: step.rooms,
        y: step.listMs.p99,
        part: step.serverCpuUsPerList / 1000,
        loadAverage: step.cpu.loadAverage1m ?? null,
      })),
  },
};

function pointsOf(file: string, scenario: string): Point[] {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { results: SavedResult[] };
  const curve = CURVES[scenario];
  if (!curve) throw new Error(`no curve for the ${scenario} scenario`);
  return saved.results.filter((result) => result.scenario === scenario).flatMap(curve.points);
}

/** A round step for about `count` ticks up to `max`. */
function tickStep(max: number, count = 5): number {
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((step) => step * magnitude >= raw) ?? 10) * magnitude;
}

/** A chart: lines of points, their axes. */
export interface Chart {
  xLabel: string;
  yLabel: string;
  /** What a line's dashed part is (its Redis share, its p50, …). */
  partLabel: string;
  /** A logarithmic x axis, for steps that grow tenfold (rooms per user, messages per room). */
  logX?: boolean;
  lines: { name: string; points: Point[] }[];
}

export type { Point };

/** The chart as an SVG document. */
export function drawChart(chart: Chart): string {
  const lines = chart.lines.map((line, i) => ({
    ...line,
    points: [...line.points].sort((a, b) => a.x - b.x),
    color: COLORS[i % COLORS.length] as string,
  }));
  const all = lines.flatMap((line) => line.points);
  if (all.length === 0) throw new Error('no points to draw');
  const maxY = Math.max(...all.map((p) => Math.max(p.y, p.part ?? 0))) * 1.1 || 1;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const xAxis = chart.logX ? logAxis(all.map((p) => p.x)) : linearAxis(all.map((p) => p.x));
  const x = (value: number) => MARGIN.left + xAxis.fraction(value) * plotW;
  const y = (value: number) => MARGIN.top + plotH - (value / maxY) * plotH;
  const svg: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
  ];
  for (const v of xAxis.ticks) {
    svg.push(
      `<line x1="${x(v)}" x2="${x(v)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#eee"/>`,
      `<text x="${x(v)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${v}</text>`,
    );
  }
  const yStep = tickStep(maxY);
  for (let v = 0; v <= maxY; v += yStep) {
    const label = Number(v.toPrecision(6));
    svg.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 6}" y="${y(v) + 4}" text-anchor="end">${label}</text>`,
    );
  }
  svg.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`,
  );
  lines.forEach((line, i) => {
    const path = (value: (p: Point) => number) =>
      line.points
        .map((p, j) => `${j ? 'L' : 'M'}${x(p.x).toFixed(1)} ${y(value(p)).toFixed(1)}`)
        .join(' ');
    const hasPart = line.points.some((p) => p.part !== null);
    svg.push(
      `<path d="${path((p) => p.y)}" fill="none" stroke="${line.color}" stroke-width="2"/>`,
      ...(hasPart
        ? [
            `<path d="${path((p) => p.part ?? 0)}" fill="none" stroke="${line.color}" stroke-width="1.5" stroke-dasharray="5 4"/>`,
          ]
        : []),
      ...line.points.map(
        (p) =>
          `<circle cx="${x(p.x).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="3" fill="${line.color}"><title>${escapeXml(line.name)}, ${p.x}: ${Math.round(p.y * 10) / 10}${p.part === null ? '' : ` (${escapeXml(chart.partLabel)} ${Math.round(p.part * 10) / 10})`}, load average ${p.loadAverage ?? '?'}</title></circle>`,
      ),
    );
    const legendY = MARGIN.top + 12 + i * 36;
    const legendX = MARGIN.left + plotW + 12;
    svg.push(
      `<line x1="${legendX}" x2="${legendX + 20}" y1="${legendY}" y2="${legendY}" stroke="${line.color}" stroke-width="2"/>`,
      `<text x="${legendX + 26}" y="${legendY + 4}">${escapeXml(line.name)}</text>`,
    );
    if (hasPart) {
      svg.push(
        `<line x1="${legendX}" x2="${legendX + 20}" y1="${legendY + 16}" y2="${legendY + 16}" stroke="${line.color}" stroke-dasharray="5 4"/>`,
        `<text x="${legendX + 26}" y="${legendY + 20}">${escapeXml(chart.partLabel)}</text>`,
      );
    }
  });
  svg.push('</svg>');
  return `${svg.join('\n')}\n`;
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface Axis {
  /** Where a value sits along the axis, 0 to 1. */
  fraction(value: number): number;
  ticks: number[];
}

function linearAxis(values: number[]): Axis {
  const max = Math.max(...values) * 1.1 || 1;
  const step = tickStep(max);
  const ticks: number[] = [];
  for (let v = 0; v <= max; v += step) ticks.push(Number(v.toPrecision(6)));
  return { fraction: (value) => value / max, ticks };
}

/** Powers of ten around the values, which must be positive. */
function logAxis(values: number[]): Axis {
  const low = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const high = 10 ** Math.ceil(Math.log10(Math.max(...values) * 1.01));
  const span = Math.log10(high) - Math.log10(low) || 1;
  const ticks: number[] = [];
  for (let v = low; v <= high; v *= 10) ticks.push(v);
  return { fraction: (value) => (Math.log10(value) - Math.log10(low)) / span, ticks };
}

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      line: { type: 'string', multiple: true },
      scenario: { type: 'string', default: 'private' },
      title: { type: 'string' },
    },
  });
  const scenario = values.scenario ?? 'private';
  const curve = CURVES[scenario];
  if (!curve) throw new Error(`--scenario: one of ${Object.keys(CURVES).join(', ')}`);
  if (!values.out || !values.line?.length || positionals.length === 0) {
    console.error(
      'usage: plot-cost.ts --out FILE.svg [--scenario private|connections|rooms] [--title X-AXIS]\n' +
        '  --line "Name=label-prefix" ... results.json...',
    );
    process.exit(2);
  }
  const lines = values.line.map((spec) => {
    const [name = spec, prefix = spec] = spec.split('=');
    const files = positionals.filter((file) => basename(file).slice(20).startsWith(prefix));
    return { name, points: files.flatMap((file) => pointsOf(file, scenario)) };
  });
  const count = lines.reduce((sum, line) => sum + line.points.length, 0);
  if (count === 0) throw new Error(`no ${scenario} results in the files given`);
  writeFileSync(
    values.out,
    drawChart({
      xLabel: values.title ?? curve.xLabel,
      yLabel: curve.yLabel,
      partLabel: curve.partLabel,
      lines,
    }),
  );
  console.log(`plot-cost: ${values.out} (${count} points)`);
}

// A command of its own, and the drawing that bench/curves.ts imports.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
