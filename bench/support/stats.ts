/** Statistics and machine load for the benchmarks' reports. */

export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Array.from(values).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "n/a";
}

/** Spread between rounds: (max - min) / median, in percent. */
export function spread(values: number[]): string {
  if (values.length < 2) return "n/a";
  return `${fixed(((Math.max(...values) - Math.min(...values)) / median(values)) * 100, 0)}%`;
}

export function loadAverage(): number | null {
  try {
    return Number(Deno.readTextFileSync("/proc/loadavg").split(" ")[0]);
  } catch {
    return null;
  }
}

/** Samples the 1-minute load average every 2 s while the benchmark runs. */
export function startLoadSampler(): { samples: number[]; stop(): void } {
  const samples: number[] = [];
  const take = () => {
    const value = loadAverage();
    if (value !== null) samples.push(value);
  };
  take();
  const timer = setInterval(take, 2000);
  return { samples, stop: () => clearInterval(timer) };
}
