/**
 * The main process's side of the load-generator processes: starts them, sends them requests and
 * gathers their replies. Sockets are dealt to agents round-robin.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type {
  AcceptedBySender,
  AgentEnvelope,
  AgentReply,
  AgentRequest,
  OpenResult,
  ProgressResult,
  ReconnectsResult,
  SendResult,
  SenderSpec,
  SocketSpec,
  VerifyResult,
} from './agent-protocol.js';
import type { LagSummary } from './loop-lag.js';

const AGENT_SCRIPT = fileURLToPath(new URL('./agent.ts', import.meta.url));

export class Agent {
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { done: (value: unknown) => void; fail: (error: Error) => void }
  >();
  private exited = false;

  constructor(
    readonly index: number,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (reply: AgentReply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      if (reply.ok) waiter.done(reply.result);
      else waiter.fail(new Error(`agent ${index}: ${reply.error}`));
    });
    child.once('exit', (code) => {
      this.exited = true;
      for (const waiter of this.waiting.values()) {
        waiter.fail(new Error(`agent ${index} exited with code ${code}`));
      }
      this.waiting.clear();
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  request<T>(request: AgentRequest): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`agent ${this.index} has exited`));
    const id = this.nextId++;
    return new Promise<T>((done, fail) => {
      this.waiting.set(id, { done: done as (value: unknown) => void, fail });
      this.child.send({ id, request } satisfies AgentEnvelope);
    });
  }

  /** Closing the IPC channel makes the agent exit normally (and write its CPU profile). */
  stop(timeoutMs = 10_000): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((done) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
      this.child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      this.child.disconnect();
    });
  }
}

export class AgentPool {
  private constructor(readonly agents: Agent[]) {}

  /** With `profileDir`, each agent runs with --cpu-prof and writes its profile under it. */
  static async start(count: number, profileDir: string | null = null): Promise<AgentPool> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
    const agents = Array.from({ length: count }, (_, index) => {
      // A directory per agent: tsx's loader thread writes a profile of its own there too; the
      // largest file is the agent's main thread.
      const profile = profileDir
        ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}/${stamp}-agent-${index}`]
        : [];
      const child = fork(AGENT_SCRIPT, [], {
        execArgv: ['--import', 'tsx', ...profile],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      return new Agent(index, child);
    });
    const pool = new AgentPool(agents);
    // A round trip proves each agent is up before the clock starts anywhere.
    await Promise.all(agents.map((agent) => agent.request({ type: 'progress' })));
    return pool;
  }

  get pids(): number[] {
    return this.agents.map((agent) => agent.pid);
  }

  /** The agent that holds a socket, by the socket's key. */
  agentOf(socketKey: number): Agent {
    const agent = this.agents[socketKey % this.agents.length];
    if (!agent) throw new Error('no agents');
    return agent;
  }

  async open(
    sockets: SocketSpec[],
    options: { listen: boolean; concurrency: number },
  ): Promise<OpenResult> {
    const started = performance.now();
    const shares = this.agents.map((agent) =>
      agent.request<OpenResult>({
        type: 'open',
        sockets: sockets.filter((spec) => this.agentOf(spec.key) === agent),
        listen: options.listen,
        concurrency: Math.max(1, Math.ceil(options.concurrency / this.agents.length)),
      }),
    );
    const results = await Promise.all(shares);
    return {
      opened: results.reduce((sum, r) => sum + r.opened, 0),
      failed: results.reduce((sum, r) => sum + r.failed, 0),
      firstError: results.find((r) => r.firstError)?.firstError ?? null,
      ms: performance.now() - started,
    };
  }

  send(senders: SenderSpec[], durationMs: number, ackTimeoutMs: number): Promise<SendResult[]> {
    return Promise.all(
      this.agents.map((agent) =>
        agent.request<SendResult>({
          type: 'send',
          senders: senders.filter((spec) => this.agentOf(spec.socketKey) === agent),
          durationMs,
          ackTimeoutMs,
        }),
      ),
    );
  }

  progress(): Promise<ProgressResult[]> {
    return Promise.all(
      this.agents.map((agent) => agent.request<ProgressResult>({ type: 'progress' })),
    );
  }

  verify(accepted: AcceptedBySender[]): Promise<VerifyResult[]> {
    return Promise.all(
      this.agents.map((agent) => agent.request<VerifyResult>({ type: 'verify', accepted })),
    );
  }

  /** Each agent's event-loop lag between two monotonic times (µs). */
  lag(fromUs: number, toUs: number): Promise<(LagSummary | null)[]> {
    return Promise.all(
      this.agents.map((agent) => agent.request<LagSummary | null>({ type: 'lag', fromUs, toUs })),
    );
  }

  /**
   * Cuts the connection of the sockets with a key below `keysBelow`, all at once (each agent its
   * own share); they reconnect by themselves.
   */
  async drop(keysBelow: number): Promise<number> {
    const counts = await Promise.all(
      this.agents.map((agent) => agent.request<number>({ type: 'drop', keysBelow })),
    );
    return counts.reduce((sum, count) => sum + count, 0);
  }

  reconnects(sinceUs: number, keysBelow: number, times = false): Promise<ReconnectsResult[]> {
    return Promise.all(
      this.agents.map((agent) =>
        agent.request<ReconnectsResult>({ type: 'reconnects', sinceUs, keysBelow, times }),
      ),
    );
  }

  async forget(): Promise<void> {
    await Promise.all(this.agents.map((agent) => agent.request({ type: 'forget' })));
  }

  async closeSockets(): Promise<void> {
    await Promise.all(this.agents.map((agent) => agent.request({ type: 'close' })));
  }

  async stop(): Promise<void> {
    await Promise.all(this.agents.map((agent) => agent.stop()));
  }
}
