/**
 * `npx tsx bench/unmask-cost.ts <path of an installed bufferutil>`: what `bufferutil` would save
 * the server per incoming WebSocket frame. `ws` unmasks every frame a client sends (clients must
 * mask them); without `bufferutil` it does so in JavaScript, with it in native code for frames of
 * 32 bytes and more. Both are timed here on frames of a chat message's size and larger, taking
 * turns (docs/performance.md, "The cost of one message"). bufferutil is not a dependency of the
 * project: install it anywhere (`npm install --prefix /tmp/bu bufferutil`) and pass its folder.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

type Unmask = (buffer: Buffer, mask: Buffer) => void;

const path = process.argv[2];
if (!path) {
  console.error('usage: npx tsx bench/unmask-cost.ts <path of an installed bufferutil>');
  process.exit(2);
}
const native = (createRequire(import.meta.url)(path) as { unmask: Unmask }).unmask;
/** ws's own JavaScript unmask (lib/buffer-util.js `_unmask`). */
const javascript: Unmask = (buffer, mask) => {
  for (let i = 0; i < buffer.length; i++) buffer[i]! ^= mask[i & 3]!;
};
const MASK = Buffer.from([1, 2, 3, 4]);

function usPerFrame(unmask: Unmask, size: number): number {
  const frame = Buffer.alloc(size, 7);
  const rounds = Math.round(2e6 / Math.sqrt(size));
  for (let i = 0; i < 10_000; i++) unmask(frame, MASK);
  const started = performance.now();
  for (let i = 0; i < rounds; i++) unmask(frame, MASK);
  return ((performance.now() - started) * 1000) / rounds;
}

for (const size of [64, 160, 512, 4096]) {
  const times = [1, 2].map(() => ({
    javascript: usPerFrame(javascript, size),
    bufferutil: usPerFrame(native, size),
  }));
  const shown = (key: 'javascript' | 'bufferutil') =>
    times.map((t) => t[key].toFixed(2)).join(', ');
  console.log(
    `${size} B frame: JavaScript ${shown('javascript')} µs, bufferutil ${shown('bufferutil')} µs`,
  );
}
