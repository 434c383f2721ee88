/**
 * How the bench times a check, the same way for lincheck and for Porcupine (see
 * bench/porcupine/main.go): a first run (timed on its own), an untimed warm-up of at least 30
 * runs, 100 ms of CPU time and 500 ms by the clock (at most 5,000 runs or 5 s), then batches of runs doubling until a batch takes 10 ms of CPU, then five
 * batches of that size (three single runs for a check slower than 300 ms); the median time per
 * run, by the wall clock and in this process's CPU time. On a shared machine the CPU time is the
 * steadier figure; the wall clock there measures the load as much as the check.
 * @internal
 */

/**
 * Warm-up: at least this many runs, this much CPU time and this long by the clock; at most this
 * many runs or this long by the clock.
 */
const WARM_RUNS_MIN = 30;
const WARM_MS_MIN = 100;
const WARM_WALL_MS_MIN = 500;
const WARM_RUNS_MAX = 5000;
const WARM_MS_MAX = 5000;

/** Median time per run. */
export interface Timing {
  /** The first run, by the wall clock (for lincheck: JIT warm-up included). */
  readonly firstMs: number;
  /** Median per run, wall clock. */
  readonly wallMs: number;
  /** Median per run, CPU time of the process. */
  readonly cpuMs: number;
  /** Runs in all. */
  readonly runs: number;
}

function timeRuns(size: number, f: () => void): { wallMs: number; cpuMs: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < size; i++) f();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs: wallMs / size, cpuMs: (cpu.user + cpu.system) / 1000 / size };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Times `f` as described above; `stop` says after the first run whether to go on (e.g. not after a timeout). */
export function timeCheck(f: () => void, stop: () => boolean = () => false): Timing {
  const first = timeRuns(1, f);
  if (stop()) return { firstMs: first.wallMs, wallMs: first.wallMs, cpuMs: first.cpuMs, runs: 1 };
  let runs = 1;
  // Warm-up, not measured: V8 optimises a function after it has run hot for a while, and the
  // first dozens of checks of a small history measure the compiler more than the check.
  // In CPU time of the process and by the clock: on a loaded machine 100 ms of the clock may be
  // a few ms of running, and V8's optimising compiler, on a thread of its own, was seen to take
  // half a second of the clock to finish a function.
  const warm0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (;;) {
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const wallMs = performance.now() - warm0;
    if (runs >= WARM_RUNS_MAX || wallMs >= WARM_MS_MAX || (runs >= WARM_RUNS_MIN && cpuMs >= WARM_MS_MIN && wallMs >= WARM_WALL_MS_MIN)) break;
    f();
    runs++;
  }
  let size = 1;
  while (size < 1 << 16) {
    const t = timeRuns(size, f);
    runs += size;
    if (t.cpuMs * size >= 10) break;
    size *= 2;
  }
  const batches = first.wallMs > 300 ? 3 : 5;
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < batches; i++) {
    const t = timeRuns(size, f);
    walls.push(t.wallMs);
    cpus.push(t.cpuMs);
  }
  return { firstMs: first.wallMs, wallMs: median(walls), cpuMs: median(cpus), runs: runs + batches * size };
}
