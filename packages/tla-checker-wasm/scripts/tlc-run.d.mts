/** Types for tlc-run.mjs: run TLC and parse its output (development tool, needs Java). */

/** A source span as TLC prints it (1-based, end column inclusive). */
export interface TlcLocation {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  module: string;
}

/** What TLC reported for one model. */
export interface TlcResult {
  verdict: "ok" | "invariant" | "property" | "liveness" | "deadlock" | "assume" | "error" | "parse" | "unknown";
  name: string | null;
  /** null when TLC printed no statistics (an initial state violated an invariant). */
  distinct: number | null;
  generated: number | null;
  depth: number | null;
  queue: number | null;
  /** Number of `State N:` blocks TLC printed; a lasso's closing "Stuttering" block is not counted. */
  traceLength: number | null;
  /**
   * How a liveness counterexample (a lasso) closes: `"stuttering"` (TLC printed `State n+1: Stuttering`:
   * the behaviour stays in its last state n) or k, the 1-based state the behaviour goes on with after
   * state n (TLC printed `Back to state k`, or `State k: Stuttering` with k <= n, which TLC prints
   * when state n equals state k-1). Null for every other verdict and for a finite trace.
   */
  loop: number | "stuttering" | null;
  message: string | null;
  errorLocation: TlcLocation | null;
  tlc: string | null;
}

/** Parse everything TLC printed for one run. */
export function parseTlcOutput(out: string): TlcResult;

/** Run TLC with one worker (by default) from the spec's folder, writing nothing there. */
export function runTlc(opts: {
  jar: string;
  specPath: string;
  cfgPath: string;
  deadlock?: boolean;
  workers?: number;
  timeoutMs?: number;
  libDirs?: string[];
  /** TLC's `-fp N`: the fingerprint polynomial (random when omitted; it can change liveness counterexamples). */
  fp?: number;
  /** JVM options before the class path, e.g. `-Dtlc2.tool.impl.Tool.cdot=true`. */
  jvmArgs?: string[];
}): TlcResult & { command: string; output: string; seconds: number };
