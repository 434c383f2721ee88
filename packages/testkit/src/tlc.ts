/**
 * Running TLC on one model and reading its figures, for the tests that re-check a spec's
 * expected.json with TLC itself (behind `SYNOD_TLC_JAR`, so the repository's tests need no Java).
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What TLC reported for one model, read from its text output. */
export interface TlcFigures {
  /** `ok`, `invariant`, `liveness`, or `error` for anything else. */
  verdict: "ok" | "invariant" | "liveness" | "error";
  /** The violated invariant's name. */
  invariant: string | null;
  distinct: number | null;
  generated: number | null;
  depth: number | null;
  /** The number of `State N:` blocks of the counterexample. */
  traceLength: number | null;
  /** TLC's whole output, for failure messages. */
  output: string;
}

/** Run TLC (one worker, no trace spec, metadata in a temporary folder) on `cfg` of `spec` in `dir`. */
export function runTlc(opts: { jar: string; dir: string; spec: string; cfg: string }): TlcFigures {
  const meta = mkdtempSync(join(tmpdir(), "synod-tlc-"));
  let out: string;
  try {
    out = execFileSync("java", ["-XX:+UseParallelGC", "-cp", opts.jar, "tlc2.TLC", "-workers", "1", "-noGenerateSpecTE", "-metadir", meta, "-config", opts.cfg, opts.spec], {
      cwd: opts.dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 1 << 28,
    });
  } catch (err) {
    // TLC exits non-zero on a violation; its output is still the report.
    out = String((err as { stdout?: string }).stdout ?? "");
  } finally {
    rmSync(meta, { recursive: true, force: true });
  }
  const last = (re: RegExp): number | null => {
    const m = [...out.matchAll(re)].pop();
    return m ? Number(m[1]!.replace(/,/g, "")) : null;
  };
  const inv = /Error: Invariant (\w+) is violated/.exec(out);
  const verdict = out.includes("No error has been found") ? "ok" : inv ? "invariant" : out.includes("Temporal properties were violated") ? "liveness" : "error";
  return {
    verdict,
    invariant: inv ? inv[1]! : null,
    distinct: last(/(\d[\d,]*) distinct states found/g),
    generated: last(/^(\d[\d,]*) states generated/gm),
    depth: last(/depth of the complete state graph search is (\d+)/g),
    traceLength: last(/^State (\d+):/gm),
    output: out,
  };
}
