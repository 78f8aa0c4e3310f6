/**
 * `npx tsx bench/loopback-cost.ts`: what the machine charges for the two things a lightly loaded
 * chat server does most — waking up for one event, and writing one small frame to a loopback TCP
 * socket — measured as CPU time of this process. On a virtual machine both cost far more than on
 * bare metal, and they set the floor of the server's CPU per message when messages arrive one by
 * one (see docs/performance.md).
 */
import { fork } from 'node:child_process';
import { type Socket, connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const TURNS = 3000;
const FRAME = Buffer.alloc(120, 97);

function cpuUs(since: NodeJS.CpuUsage) {
  const used = process.cpuUsage(since);
  return { total: used.user + used.system, system: used.system };
}

/** TURNS timer wake-ups 1 ms apart, doing `work` in each; CPU µs per wake-up. */
async function pacedTurns(work: () => void) {
  const start = process.cpuUsage();
  await new Promise<void>((done) => {
    let turn = 0;
    const tick = () => {
      work();
      if (++turn < TURNS) setTimeout(tick, 1);
      else done();
    };
    tick();
  });
  const used = cpuUs(start);
  return { perTurnUs: used.total / TURNS, systemPerTurnUs: used.system / TURNS };
}

async function main() {
  const reader = fork(fileURLToPath(import.meta.url), ['reader'], { stdio: 'inherit' });
  const port = await new Promise<number>((done) =>
    reader.once('message', (p) => done(p as number)),
  );
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise((done) => socket.once('connect', done));

  const idle = await pacedTurns(() => undefined);
  const writing = await pacedTurns(() => socket.write(FRAME));
  const start = process.cpuUsage();
  for (let i = 0; i < TURNS; i++) socket.write(FRAME);
  await new Promise((done) => setTimeout(done, 50));
  const backToBack = cpuUs(start).total / TURNS;

  const fmt = (us: number) => `${us.toFixed(1)} µs`;
  console.log(`wake-up (1 ms timer, nothing else):         ${fmt(idle.perTurnUs)} CPU`);
  console.log(
    `wake-up + one 120-byte loopback write:     ${fmt(writing.perTurnUs)} CPU ` +
      `(${fmt(writing.systemPerTurnUs)} in the kernel)`,
  );
  console.log(`one write among ${TURNS} back to back:        ${fmt(backToBack)} CPU`);
  socket.destroy();
  reader.kill();
}

if (process.argv[2] === 'reader') {
  const server = createServer((peer: Socket) => peer.on('data', () => undefined));
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send?.(typeof address === 'object' && address ? address.port : 0);
  });
} else {
  await main();
}
