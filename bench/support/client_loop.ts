/** A closed-loop load generator: N clients, each sending its next request when the previous one answered. */
import { cpuDelta, type CpuSnapshot, cpuSnapshot, type Processes } from "./cpu.ts";
import { percentile } from "./stats.ts";

export interface LoopResult {
  count: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  firstError?: string;
  cpu: CpuSnapshot;
}

/** `concurrency` clients send `count` requests in all, each as soon as its previous one answered. */
export async function clientLoop(
  count: number,
  concurrency: number,
  processes: Processes,
  send: (index: number) => Promise<{ status: number; body: unknown }>,
  expectedStatus: number,
): Promise<LoopResult> {
  const latencies = new Float64Array(count);
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const cpuBefore = cpuSnapshot(processes);
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    for (;;) {
      const index = next++;
      if (index >= count) return;
      const sent = performance.now();
      try {
        const result = await send(index);
        if (result.status !== expectedStatus) {
          errors++;
          firstError ??= `${result.status} ${JSON.stringify(result.body).slice(0, 300)}`;
        }
      } catch (error) {
        errors++;
        firstError ??= String(error);
      }
      latencies[index] = performance.now() - sent;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuDelta(cpuBefore, cpuSnapshot(processes));
  return {
    count,
    seconds,
    rps: count / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors,
    firstError,
    cpu,
  };
}
