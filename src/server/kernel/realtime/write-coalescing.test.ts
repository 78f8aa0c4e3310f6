import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { WriteCoalescer } from './write-coalescing.js';

/** A socket that records each system-call-sized write: one entry per write or writev. */
function recordingSocket() {
  const writes: string[][] = [];
  const socket = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, done) {
      writes.push([chunk.toString()]);
      done();
    },
    writev(chunks, done) {
      writes.push(chunks.map(({ chunk }) => (chunk as Buffer).toString()));
      done();
    },
  });
  return { socket, writes };
}

const endOfTurn = () => new Promise((done) => setImmediate(done));
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('WriteCoalescer', () => {
  // Long enough that a turn or two never reaches it on a busy machine.
  const WINDOW_MS = 200;

  it('writes to a quiet socket at the end of the turn', async () => {
    const coalescer = new WriteCoalescer(WINDOW_MS);
    const { socket, writes } = recordingSocket();
    coalescer.attach(socket);
    socket.write('upgrade');
    socket.write('ack');
    socket.write('message');
    await endOfTurn();
    expect(writes).toEqual([['upgrade'], ['ack', 'message']]);
  });

  it("holds another instance's frames for the window even on a quiet socket, and writes them with what comes meanwhile", async () => {
    const coalescer = new WriteCoalescer(WINDOW_MS);
    const { socket, writes } = recordingSocket();
    coalescer.attach(socket);
    socket.write('upgrade');
    coalescer.heldForWindow(() => socket.write('relayed'));
    await endOfTurn();
    expect(writes).toEqual([['upgrade']]);
    // A frame of this instance's own a turn later joins them.
    socket.write('local');
    await endOfTurn();
    expect(writes).toEqual([['upgrade']]);
    await sleep(WINDOW_MS * 2);
    expect(writes).toEqual([['upgrade'], ['relayed', 'local']]);
  });
});
