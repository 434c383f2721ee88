/**
 * The spec's CI models (spec/expected.json) checked with Synod's own model checker, which must
 * give TLC's recorded verdicts and counts; and, with `SYNOD_TLC_JAR=/path/to/tla2tools.jar` (and
 * `java` on the PATH), TLC itself re-checks every model, full ones included. Without the jar, no
 * Java is needed.
 *
 * (The spec lives in this package until a descriptor claims it: `synod verify` checks every
 * `specs/<folder>` against a protocol kit, and Dynamo's kit has no spec-side checks yet.)
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkSpec } from "@synod/tla-checker-wasm";
import { describe, expect, it } from "vitest";

const SPEC = join(import.meta.dirname, "..", "spec");
interface Entry { spec: string; cfg: string; size: "ci" | "full"; verdict: string; name: string | null; distinct: number; generated: number; depth: number; traceLength: number | null }
const entries = JSON.parse(readFileSync(join(SPEC, "expected.json"), "utf8")) as Entry[];

describe("spec/expected.json", () => {
  it("records every model, each with TLC's figures", () => {
    expect(entries.map((e) => e.cfg).sort()).toEqual(["MCDynamo.cfg", "MCDynamoBroken.cfg", "MCDynamoFailures.cfg", "MCDynamoFull.cfg", "MCDynamoHandoff.cfg", "MCDynamoLoss.cfg", "MCDynamoSloppy.cfg", "MCDynamoSloppyFull.cfg", "MCDynamoWeak.cfg"]);
    for (const e of entries) expect(e.distinct).toBeGreaterThan(0);
  });
});

describe("tla-check agrees with TLC on the CI models", () => {
  for (const e of entries.filter((x) => x.size === "ci")) {
    it(e.cfg, async () => {
      const r = await checkSpec({ spec: { path: join(SPEC, e.spec) }, cfg: { path: join(SPEC, e.cfg) } });
      expect({ verdict: r.verdict, name: r.name, distinct: r.distinct, generated: r.generated, depth: r.depth, traceLength: r.traceLength }).toEqual({
        verdict: e.verdict,
        name: e.name,
        distinct: e.distinct,
        generated: e.generated,
        depth: e.depth,
        traceLength: e.traceLength,
      });
    }, 300_000);
  }
});

const jar = process.env.SYNOD_TLC_JAR;
// Registered only when TLC is available, so a run without Java neither fails nor skips tests.
if (jar !== undefined) describe("TLC agrees with expected.json (SYNOD_TLC_JAR)", () => {
  for (const e of entries) {
    it(e.cfg, () => {
      const meta = mkdtempSync(join(tmpdir(), "synod-dynamo-tlc-"));
      let out: string;
      try {
        out = execFileSync("java", ["-XX:+UseParallelGC", "-cp", jar, "tlc2.TLC", "-workers", "1", "-noGenerateSpecTE", "-metadir", meta, "-config", e.cfg, e.spec], { cwd: SPEC, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      } catch (err) {
        // TLC exits non-zero on a violation; its output is still the report.
        out = String((err as { stdout?: string }).stdout ?? "");
      } finally {
        rmSync(meta, { recursive: true, force: true });
      }
      const verdict = out.includes("No error has been found") ? "ok" : /Error: Invariant \w+ is violated/.test(out) ? "invariant" : "error";
      expect(verdict, out.slice(-2000)).toBe(e.verdict);
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
    }, 3_600_000);
  }
});
