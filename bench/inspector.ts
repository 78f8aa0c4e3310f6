/**
 * The bench's own servers run with an inspector on a free loopback port, so that their memory
 * can be read after a full GC (`HeapProfiler.collectGarbage`): a heap's size at a random moment
 * holds up to a young generation of garbage (64 MB of semi-spaces on Node 24), more than a few
 * thousand idle sockets hold.
 */

/** `node --inspect` with a free port; the address is printed as the process starts. */
export const INSPECT_FLAG = '--inspect=127.0.0.1:0';
const LISTENING = /Debugger listening on (ws:\/\/\S+)/;

/** The inspector's address in a line a server printed, if it is that line. */
export const inspectorUrlIn = (line: string): string | null => LISTENING.exec(line)?.[1] ?? null;

export interface ServerMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

const REPLY_TIMEOUT_MS = 30_000;

/** Collects garbage in the process behind `url` (twice: weak references go in the second), then reads its memory. */
export async function memoryAfterGc(url: string): Promise<ServerMemory> {
  const socket = new WebSocket(url);
  await new Promise<void>((done, fail) => {
    socket.addEventListener('open', () => done(), { once: true });
    socket.addEventListener('error', () => fail(new Error(`inspector ${url} unreachable`)), {
      once: true,
    });
  });
  let nextId = 1;
  const waiting = new Map<number, (result: unknown) => void>();
  socket.addEventListener('message', (event) => {
    const reply = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (reply.id !== undefined) waiting.get(reply.id)?.(reply.result);
  });
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((done, fail) => {
      const id = nextId++;
      const timer = setTimeout(
        () => fail(new Error(`inspector: ${method} timed out`)),
        REPLY_TIMEOUT_MS,
      );
      waiting.set(id, (result) => {
        clearTimeout(timer);
        done(result);
      });
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    const answer = (await call('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    })) as { result: { value: string } };
    return JSON.parse(answer.result.value) as ServerMemory;
  } finally {
    socket.close();
  }
}
