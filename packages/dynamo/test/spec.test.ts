/**
 * The spec's CI models (specs/dynamo/expected.json) checked with Synod's own model checker, which must
 * give TLC's recorded verdicts and counts; and, with `SYNOD_TLC_JAR=/path/to/tla2tools.jar` (and
 * `java` on the PATH), TLC itself re-checks every model, full ones included. Without the jar, no
 * Java is needed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkSpec } from "@synod/tla-checker-wasm";
import { runTlc } from "@synod/testkit";
import { findRepoRoot } from "@synod/conformance";
import { describe, expect, it } from "vitest";

// Found by walking up to the checkout's root, so that the file also runs from Stryker's sandbox.
const ROOT = findRepoRoot(import.meta.dirname);
if (ROOT === null) throw new Error(`no Synod checkout above ${import.meta.dirname}`);
const SPEC = join(ROOT, "specs", "dynamo");
interface Entry { spec: string; cfg: string; size: "ci" | "full"; verdict: string; name: string | null; distinct: number; generated: number; depth: number; traceLength: number | null }
const entries = JSON.parse(readFileSync(join(SPEC, "expected.json"), "utf8")) as Entry[];

describe("specs/dynamo/expected.json", () => {
  it("records every model, each with TLC's figures", () => {
    expect(entries.map((e) => e.cfg).sort()).toEqual(["MCDynamo.cfg", "MCDynamoBroken.cfg", "MCDynamoFailures.cfg", "MCDynamoFull.cfg", "MCDynamoHandoff.cfg", "MCDynamoLoss.cfg", "MCDynamoMsg.cfg", "MCDynamoMsgBroken.cfg", "MCDynamoMsgFull.cfg", "MCDynamoMsgSiblings.cfg", "MCDynamoMsgSloppy.cfg", "MCDynamoMsgSloppyFull.cfg", "MCDynamoMsgSloppyHandoff.cfg", "MCDynamoMsgSloppyStale.cfg", "MCDynamoMsgWeak.cfg", "MCDynamoSloppy.cfg", "MCDynamoSloppyFull.cfg", "MCDynamoWeak.cfg"]);
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
      const r = runTlc({ jar, dir: SPEC, spec: e.spec, cfg: e.cfg });
      expect(r.verdict, r.output.slice(-2000)).toBe(e.verdict);
      expect(r.distinct).toBe(e.distinct);
      expect(r.generated).toBe(e.generated);
      expect(r.depth).toBe(e.depth);
      if (e.verdict === "invariant") {
        expect(r.invariant).toBe(e.name);
        expect(r.traceLength).toBe(e.traceLength);
      }
    }, 3_600_000);
  }
});
