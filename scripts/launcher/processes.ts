/**
 * Everything the launcher starts — child processes, in-process servers, temporary directories —
 * is recorded here, so that none of it outlives the program that started it:
 *
 * - `stop()` on each thing, or `stopEverything()`, stops it the polite way: SIGTERM, SIGKILL to
 *   its whole process group after a deadline, directories removed last.
 * - On SIGINT, SIGTERM or SIGHUP the launcher kills what it started at once (SIGKILL to each
 *   process group) and removes its directories, then lets the signal end the program as it would
 *   have. At once, because a test runner kills its workers half a second after SIGTERM. A program
 *   whose job is to run what it launched (`npm run cluster`) asks for a graceful stop instead
 *   with `stopGracefullyOnSignal()`.
 * - When the program exits for any other reason (process.exit, an uncaught exception), the same
 *   immediate clean-up runs from the 'exit' event.
 *
 * Children run in their own process groups (`detached`): a terminal's Ctrl+C reaches the
 * launching program only, which then stops things in order (balancer, servers, Redis), and a
 * group kill also reaches what a child started itself (nginx's workers, a server's embedded
 * redis-server).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long a polite stop waits before SIGKILL. */
export const STOP_DEADLINE_MS = 10_000;
/** What a process printed is kept up to this length (the end of it), for error messages. */
const OUTPUT_KEPT_CHARS = 64 * 1024;
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Things stop in this order: clients' entry point first, data last. */
const STAGES = ['balancer', 'server', 'redis', 'directory'] as const;
export type Stage = (typeof STAGES)[number];

interface Resource {
  stage: Stage;
  /** The polite stop; called at most once. */
  stop(): Promise<unknown>;
  /** Synchronous last resort, for signal and exit handlers. */
  killNow(): void;
}

const resources = new Set<Resource>();
let gracefulOnSignal: ((signal: NodeJS.Signals) => void) | null = null;
let signalling = false;

function track(resource: Resource): () => void {
  resources.add(resource);
  installHandlers();
  return () => {
    resources.delete(resource);
    if (resources.size === 0 && !gracefulOnSignal) removeHandlers();
  };
}

function killEverythingNow(): void {
  for (const stage of STAGES) {
    for (const resource of [...resources]) {
      if (resource.stage !== stage) continue;
      resources.delete(resource);
      try {
        resource.killNow();
      } catch {
        // Best effort: the other resources must still be cleaned up.
      }
    }
  }
}

/**
 * Stops everything this program launched that still runs, stage by stage (balancers, servers,
 * Redis, then temporary directories), each stage in parallel.
 */
export async function stopEverything(): Promise<void> {
  for (const stage of STAGES) {
    const now = [...resources].filter((resource) => resource.stage === stage);
    await Promise.allSettled(now.map((resource) => resource.stop()));
  }
}

function onSignal(signal: NodeJS.Signals): void {
  if (gracefulOnSignal && !signalling) {
    signalling = true;
    gracefulOnSignal(signal);
    void stopEverything().finally(() => process.exit(0));
    return;
  }
  // First signal without a graceful stop, or a second one during it: now.
  killEverythingNow();
  removeHandlers();
  if (gracefulOnSignal) process.exit(1);
  // Nobody else wants this signal: end as it would have ended us.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function onExit(): void {
  killEverythingNow();
}

let installed = false;
function installHandlers(): void {
  if (installed) return;
  installed = true;
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('exit', onExit);
}

function removeHandlers(): void {
  if (!installed) return;
  installed = false;
  for (const signal of SIGNALS) process.off(signal, onSignal);
  process.off('exit', onExit);
}

/**
 * On SIGINT, SIGTERM or SIGHUP: `announce(signal)`, stop everything politely and in order, then
 * exit with status 0; a second signal during that kills everything at once (status 1).
 */
export function stopGracefullyOnSignal(announce: (signal: NodeJS.Signals) => void): void {
  gracefulOnSignal = announce;
  installHandlers();
}

/** Registers something in-process (a Node proxy, a server in this process) for clean-up. */
export function trackInProcess(
  stage: Stage,
  close: () => Promise<void>,
): { close(): Promise<void> } {
  let closing: Promise<void> | null = null;
  const untrack = track({
    stage,
    stop: () => closeOnce(),
    // It dies with this process.
    killNow: () => undefined,
  });
  const closeOnce = () => {
    closing ??= close().finally(untrack);
    return closing;
  };
  return { close: closeOnce };
}

// --- temporary directories -------------------------------------------------------------------

export interface TemporaryDirectory {
  readonly path: string;
  /** Removes it and everything in it (again is harmless). */
  remove(): void;
}

/** A fresh directory under the system's temp dir, removed at the latest when the program ends. */
export function temporaryDirectory(prefix: string): TemporaryDirectory {
  const path = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => {
    untrack();
    rmSync(path, { recursive: true, force: true });
  };
  const untrack = track({
    stage: 'directory',
    stop: async () => remove(),
    killNow: () => rmSync(path, { recursive: true, force: true }),
  });
  return { path, remove };
}

// --- child processes -------------------------------------------------------------------------

export interface ProcessOptions {
  /** For messages: "redis-server 6380", "server 8081". */
  name: string;
  stage: Exclude<Stage, 'directory'>;
  command: string;
  args: readonly string[];
  cwd?: string;
  /** The whole environment of the child (nothing is added). */
  env?: NodeJS.ProcessEnv;
  /** Each line the child prints, as it prints it (stdout and stderr). */
  onLine?: (line: string) => void;
}

export interface StopOptions {
  /** Default SIGTERM (nginx stops gracefully on SIGQUIT). */
  signal?: NodeJS.Signals;
  /** Then SIGKILL to the process group. */
  deadlineMs?: number;
}

export interface LaunchedProcess {
  readonly name: string;
  readonly pid: number;
  /** False once it has exited. */
  readonly running: boolean;
  /** Its exit code, or null when a signal ended it. */
  readonly exited: Promise<number | null>;
  /** The end of what it printed. */
  output(): string;
  /** The signal, SIGKILL to its group after the deadline; answers the exit code. */
  stop(options?: StopOptions): Promise<number | null>;
  /** SIGKILL to its group now, as a crash. */
  kill(): Promise<void>;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Starts a child process in its own process group, recorded for clean-up. */
export function launchProcess(options: ProcessOptions): LaunchedProcess {
  const child: ChildProcess = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) {
    // spawn reports the reason (ENOENT...) through 'error' only.
    child.on('error', () => undefined);
    throw new Error(`${options.name}: could not start ${options.command}`);
  }

  let output = '';
  let partial = '';
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-OUTPUT_KEPT_CHARS);
    if (!options.onLine) return;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) options.onLine(line);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let running = true;
  const exited = new Promise<number | null>((done) => {
    child.once('exit', (code) => {
      running = false;
      // What it started itself goes with it.
      killGroup(pid, 'SIGKILL');
      untrack();
      done(code);
    });
  });
  child.on('error', () => undefined);

  let stopping: Promise<number | null> | null = null;
  const stop = ({ signal = 'SIGTERM', deadlineMs = STOP_DEADLINE_MS }: StopOptions = {}) => {
    stopping ??= (async () => {
      if (!running) return exited;
      child.kill(signal);
      const late = sleep(deadlineMs, 'late' as const, { ref: false });
      if ((await Promise.race([exited, late])) === 'late') killGroup(pid, 'SIGKILL');
      return exited;
    })();
    return stopping;
  };

  const untrack = track({
    stage: options.stage,
    stop: () => stop(),
    killNow: () => killGroup(pid, 'SIGKILL'),
  });

  return {
    name: options.name,
    pid,
    get running() {
      return running;
    },
    exited,
    output: () => output,
    stop,
    kill: async () => {
      killGroup(pid, 'SIGKILL');
      await exited;
    },
  };
}

// --- waiting ---------------------------------------------------------------------------------

/**
 * Polls `ready` until it answers true; fails when `failed` names a reason (the process exited)
 * or after the deadline.
 */
export async function waitUntil(
  what: string,
  ready: () => Promise<boolean>,
  failed: () => string | null,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ready()) return;
    const reason = failed();
    if (reason) throw new Error(`${what}: ${reason}`);
    if (Date.now() > deadline) throw new Error(`${what}: not ready within ${timeoutMs} ms`);
    await sleep(25);
  }
}
