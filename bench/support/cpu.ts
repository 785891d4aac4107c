/** CPU time of the processes a benchmark drives, read from /proc (Linux only). */

const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime (clock ticks) and parent pid of a process, from /proc (Linux only). */
export function procStat(pid: number): { ticks: number; ppid: number } | null {
  try {
    const text = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { ticks: Number(fields[11]) + Number(fields[12]), ppid: Number(fields[1]) };
  } catch {
    return null;
  }
}

/** The processes whose CPU time is accounted: this process, the stack's process and the Postgres cluster. */
export interface Processes {
  bench: number;
  stack: number | null;
  postmaster: number | null;
}

export interface CpuSnapshot {
  bench: number;
  stack: number;
  postgres: number;
}

export function cpuSnapshot(processes: Processes): CpuSnapshot {
  const seconds = (pid: number | null) => pid === null ? 0 : (procStat(pid)?.ticks ?? 0) / CLOCK_TICKS_PER_SECOND;
  let postgresSeconds = 0;
  if (processes.postmaster !== null) {
    postgresSeconds = seconds(processes.postmaster);
    try {
      for (const entry of Deno.readDirSync("/proc")) {
        if (!/^\d+$/.test(entry.name)) continue;
        const stat = procStat(Number(entry.name));
        if (stat && stat.ppid === processes.postmaster) postgresSeconds += stat.ticks / CLOCK_TICKS_PER_SECOND;
      }
    } catch {
      // not Linux: no accounting
    }
  }
  return { bench: seconds(processes.bench), stack: seconds(processes.stack), postgres: postgresSeconds };
}

export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot {
  return {
    bench: after.bench - before.bench,
    stack: after.stack - before.stack,
    postgres: after.postgres - before.postgres,
  };
}
