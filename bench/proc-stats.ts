/**
 * CPU time and memory of processes, read from /proc (Linux). CPU is utime + stime in clock ticks
 * of 1/100 s (CLK_TCK = 100 on Linux), so a figure is only as fine as 10 ms per process: the
 * scenarios run long enough for that to be noise.
 */
import { readFileSync } from 'node:fs';

const CLK_TCK = 100;

export interface CpuTimes {
  /** Seconds in user mode. */
  user: number;
  /** Seconds in the kernel on the process's behalf (syscalls: socket writes, epoll). */
  system: number;
}

export function cpuTimes(pid: number): CpuTimes {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces and parentheses: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, i.e. 12 and 13 after "pid (comm)".
  return { user: Number(fields[11]) / CLK_TCK, system: Number(fields[12]) / CLK_TCK };
}

export function sumCpu(pids: number[]): CpuTimes {
  const total = { user: 0, system: 0 };
  for (const pid of pids) {
    const times = cpuTimesIfRunning(pid);
    total.user += times?.user ?? 0;
    total.system += times?.system ?? 0;
  }
  return total;
}

/** Null once the process is gone (the storm scenario kills a server mid-window). */
function cpuTimesIfRunning(pid: number): CpuTimes | null {
  try {
    return cpuTimes(pid);
  } catch {
    return null;
  }
}

export function cpuDelta(before: CpuTimes, after: CpuTimes): CpuTimes {
  return { user: after.user - before.user, system: after.system - before.system };
}

export const cpuTotal = (times: CpuTimes) => times.user + times.system;

/** Resident set size in bytes (VmRSS). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match?.[1] ? Number(match[1]) * 1024 : 0;
}

const ZERO: CpuTimes = { user: 0, system: 0 };

/** A set of processes measured together over a window. */
export class CpuMeter {
  private before: CpuTimes;
  private beforeByPid = new Map<number, CpuTimes>();
  private startedAt = performance.now();

  private readonly pids: number[];

  constructor(pids: number[]) {
    // A copy: the caller's list may change meanwhile (a restarted server gets a new PID).
    this.pids = [...pids];
    this.before = this.start();
  }

  restart(): void {
    this.before = this.start();
    this.startedAt = performance.now();
  }

  private start(): CpuTimes {
    this.beforeByPid = new Map(this.pids.map((pid) => [pid, cpuTimesIfRunning(pid) ?? ZERO]));
    return this.beforeOf(this.pids);
  }

  private beforeOf(pids: number[]): CpuTimes {
    const total = { user: 0, system: 0 };
    for (const pid of pids) {
      const times = this.beforeByPid.get(pid) ?? ZERO;
      total.user += times.user;
      total.system += times.system;
    }
    return total;
  }

  /** CPU used since the start, and the wall time it was used over. */
  read(): { cpu: CpuTimes; wallS: number } {
    // A process gone meanwhile counts for nothing rather than for minus what it had used.
    const running = this.pids.filter((pid) => cpuTimesIfRunning(pid) !== null);
    const before = running.length === this.pids.length ? this.before : this.beforeOf(running);
    return {
      cpu: cpuDelta(before, sumCpu(running)),
      wallS: (performance.now() - this.startedAt) / 1000,
    };
  }
}

/** CPU seconds used by the whole machine so far (all cores, idle and iowait excluded). */
export function machineBusyS(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal ...
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = ticks.reduce((sum, t, i) => (i === 3 || i === 4 ? sum : sum + (t || 0)), 0);
  return busy / CLK_TCK;
}

export function cpuModel(): string {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    return /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
