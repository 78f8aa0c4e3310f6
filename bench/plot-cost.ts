/**
 * A small SVG of cost against load from saved bench results, one line per deployment: for each
 * results file given, the private scenario's offered rate (x) and the CPU per message of the
 * servers and of Redis together (y), with Redis's share drawn dashed. Files are grouped into
 * lines by a label prefix, so repeated runs at one rate show as several points.
 *
 *   npx tsx bench/plot-cost.ts --out docs/cluster-cost.svg \
 *     --line "one Redis=cluster-ab-single" --line "Redis Cluster=cluster-ab-cluster" \
 *     bench/results/*-cluster-ab-*.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

interface Point {
  rate: number;
  serverUs: number;
  redisUs: number;
  loadAverage: number | null;
}

interface SavedMessaging {
  scenario: string;
  offeredRate: number;
  messages: number;
  serverCpuUsPerMessage: number;
  cpu: { redis: { s: number } | null; loadAverage1m?: number };
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
const WIDTH = 640;
const HEIGHT = 360;
const MARGIN = { left: 64, right: 160, top: 24, bottom: 48 };

function pointsOf(file: string): Point[] {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { results: SavedMessaging[] };
  return saved.results
    .filter((result) => result.scenario === 'private' && result.messages > 0)
    .map((result) => ({
      rate: result.offeredRate,
      serverUs: result.serverCpuUsPerMessage,
      redisUs: ((result.cpu.redis?.s ?? 0) * 1e6) / result.messages,
      loadAverage: result.cpu.loadAverage1m ?? null,
    }));
}

/** A round step for about `count` ticks up to `max`. */
function tickStep(max: number, count = 5): number {
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((step) => step * magnitude >= raw) ?? 10) * magnitude;
}

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, line: { type: 'string', multiple: true } },
  });
  if (!values.out || !values.line?.length || positionals.length === 0) {
    console.error(
      'usage: plot-cost.ts --out FILE.svg --line "Name=label-prefix" ... results.json...',
    );
    process.exit(2);
  }
  const lines = values.line.map((spec, i) => {
    const [name = spec, prefix = spec] = spec.split('=');
    const files = positionals.filter((file) => basename(file).slice(20).startsWith(prefix));
    const points = files.flatMap(pointsOf).sort((a, b) => a.rate - b.rate);
    return { name, color: COLORS[i % COLORS.length] as string, points };
  });
  const all = lines.flatMap((line) => line.points);
  if (all.length === 0) throw new Error('no private-scenario results in the files given');
  const maxX = Math.max(...all.map((p) => p.rate)) * 1.1;
  const maxY = Math.max(...all.map((p) => p.serverUs + p.redisUs)) * 1.1;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (rate: number) => MARGIN.left + (rate / maxX) * plotW;
  const y = (us: number) => MARGIN.top + plotH - (us / maxY) * plotH;
  const svg: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
  ];
  const xStep = tickStep(maxX);
  for (let v = 0; v <= maxX; v += xStep) {
    svg.push(
      `<line x1="${x(v)}" x2="${x(v)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#eee"/>`,
      `<text x="${x(v)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${v}</text>`,
    );
  }
  const yStep = tickStep(maxY);
  for (let v = 0; v <= maxY; v += yStep) {
    svg.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`,
    );
  }
  svg.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle">offered load, private messages/s (3 instances)</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">CPU µs per message</text>`,
  );
  lines.forEach((line, i) => {
    const path = (value: (p: Point) => number) =>
      line.points
        .map((p, j) => `${j ? 'L' : 'M'}${x(p.rate).toFixed(1)} ${y(value(p)).toFixed(1)}`)
        .join(' ');
    svg.push(
      `<path d="${path((p) => p.serverUs + p.redisUs)}" fill="none" stroke="${line.color}" stroke-width="2"/>`,
      `<path d="${path((p) => p.redisUs)}" fill="none" stroke="${line.color}" stroke-width="1.5" stroke-dasharray="5 4"/>`,
      ...line.points.map(
        (p) =>
          `<circle cx="${x(p.rate).toFixed(1)}" cy="${y(p.serverUs + p.redisUs).toFixed(1)}" r="3" fill="${line.color}"><title>${line.name}, ${p.rate} msg/s: servers ${Math.round(p.serverUs)} µs + Redis ${Math.round(p.redisUs)} µs, load average ${p.loadAverage ?? '?'}</title></circle>`,
      ),
    );
    const legendY = MARGIN.top + 12 + i * 36;
    const legendX = MARGIN.left + plotW + 12;
    svg.push(
      `<line x1="${legendX}" x2="${legendX + 20}" y1="${legendY}" y2="${legendY}" stroke="${line.color}" stroke-width="2"/>`,
      `<text x="${legendX + 26}" y="${legendY + 4}">${line.name}</text>`,
      `<line x1="${legendX}" x2="${legendX + 20}" y1="${legendY + 16}" y2="${legendY + 16}" stroke="${line.color}" stroke-dasharray="5 4"/>`,
      `<text x="${legendX + 26}" y="${legendY + 20}">its Redis part</text>`,
    );
  });
  svg.push('</svg>');
  writeFileSync(values.out, `${svg.join('\n')}\n`);
  console.log(`plot-cost: ${values.out} (${all.length} points)`);
}

main();
