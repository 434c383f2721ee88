/**
 * With `SYNOD_TLC_JAR=/path/to/tla2tools.jar` (and `java` on the PATH): TLC re-checks every model
 * of specs/2pc and must give the figures recorded in expected.json (for an entry marked
 * `countsReliable: false`, the verdict only). Without it, only expected.json's shape is checked,
 * so the repository's tests need no Java.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runTlc } from "@synod/testkit";
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
      const r = runTlc({ jar, dir: SPECS, spec: e.spec, cfg: e.cfg });
      expect(r.verdict, r.output.slice(-2000)).toBe(e.verdict);
      if (e.countsReliable === false) return;
      expect(r.distinct).toBe(e.distinct);
      expect(r.generated).toBe(e.generated);
      expect(r.depth).toBe(e.depth);
      if (e.verdict === "invariant") {
        expect(r.invariant).toBe(e.name);
        expect(r.traceLength).toBe(e.traceLength);
      }
    }, 300_000);
  }
});
