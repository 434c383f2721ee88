/**
 * With `SYNOD_TLC_JAR=/path/to/tla2tools.jar` (and `java` on the PATH): TLC re-checks every model
 * of specs/2pc and must give the figures recorded in expected.json (for an entry marked
 * `countsReliable: false`, the verdict only). Without it, only expected.json's shape is checked,
 * so the repository's tests need no Java.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const SPECS = join(import.meta.dirname, "..", "..", "..", "specs", "2pc");
interface Entry { spec: string; cfg: string; size: string; verdict: string; name: string | null; distinct: number; generated: number; depth: number; traceLength: number | null; countsReliable?: false }
const entries = JSON.parse(readFileSync(join(SPECS, "expected.json"), "utf8")) as Entry[];

describe("specs/2pc/expected.json", () => {
  it("records every model, each with TLC's figures", () => {
    expect(entries.map((e) => e.cfg).sort()).toEqual(["MCTwoPhase.cfg", "MCTwoPhaseBlocking.cfg", "MCTwoPhaseBroken.cfg", "MCTwoPhaseFull.cfg", "MCTwoPhaseLiveness.cfg"]);
    for (const e of entries) expect(e.distinct).toBeGreaterThan(0);
  });
});

const jar = process.env.SYNOD_TLC_JAR;
// Registered only when TLC is available, so a run without Java neither fails nor skips tests.
if (jar !== undefined) describe("TLC agrees with expected.json (SYNOD_TLC_JAR)", () => {
  for (const e of entries) {
    it(e.cfg, () => {
      const meta = mkdtempSync(join(tmpdir(), "synod-2pc-tlc-"));
      let out: string;
      try {
        out = execFileSync("java", ["-XX:+UseParallelGC", "-cp", jar, "tlc2.TLC", "-workers", "1", "-noGenerateSpecTE", "-metadir", meta, "-config", e.cfg, e.spec], { cwd: SPECS, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      } catch (err) {
        // TLC exits non-zero on a violation; its output is still the report.
        out = String((err as { stdout?: string }).stdout ?? "");
      } finally {
        rmSync(meta, { recursive: true, force: true });
      }
      const verdict = out.includes("No error has been found") ? "ok" : /Error: Invariant \w+ is violated/.test(out) ? "invariant" : out.includes("Temporal properties were violated") ? "liveness" : "error";
      expect(verdict, out.slice(-2000)).toBe(e.verdict);
      if (e.countsReliable === false) return;
      const num = (re: RegExp): number | null => {
        const m = [...out.matchAll(re)].pop();
        return m ? Number(m[1]!.replace(/,/g, "")) : null;
      };
      expect(num(/(\d[\d,]*) distinct states found/g)).toBe(e.distinct);
      expect(num(/^(\d[\d,]*) states generated/gm)).toBe(e.generated);
      expect(num(/depth of the complete state graph search is (\d+)/g)).toBe(e.depth);
      if (e.verdict === "invariant") {
        expect(out).toContain(`Invariant ${e.name} is violated`);
        expect(num(/^State (\d+):/gm)).toBe(e.traceLength);
      }
    }, 300_000);
  }
});
