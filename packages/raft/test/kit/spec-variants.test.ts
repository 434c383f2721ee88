/**
 * The spec side of the broken variants: each Raft spec variant (a cfg override of one operator,
 * matching an `unsafe` option of packages/raft) must violate its named invariant under our checker,
 * with TLC's figures from specs/raft/expected.json. MCRaftBrokenCommit needs four terms (164k
 * states, minutes), so it is checked by `pnpm verify` rather than here.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkSpec } from "@synod/tla-checker-wasm";

const specs = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..", "specs", "raft");

interface Expected {
  spec: string;
  cfg: string;
  verdict: string;
  name: string | null;
  distinct: number;
  generated: number;
  traceLength: number | null;
}

const expected: Expected[] = JSON.parse(readFileSync(join(specs, "expected.json"), "utf8"));

describe("Raft spec variants are caught by the spec's invariants", () => {
  for (const cfg of ["MCRaftBrokenVote.cfg", "MCRaftBrokenPersist.cfg"]) {
    const want = expected.find((e) => e.cfg === cfg);
    it(`${cfg} violates ${want?.name}`, async () => {
      expect(want, `${cfg} is listed in specs/raft/expected.json`).toBeDefined();
      const r = await checkSpec({ spec: { path: join(specs, want!.spec) }, cfg: { path: join(specs, cfg) } });
      expect(r.verdict).toBe("invariant");
      expect(r.name).toBe(want!.name);
      expect(r.traceLength).toBe(want!.traceLength);
      expect({ distinct: r.distinct, generated: r.generated }).toEqual({ distinct: want!.distinct, generated: want!.generated });
      // The counterexample is a real behaviour: it starts in Init and every step names a spec action.
      expect(r.trace?.[0]?.label.action).toBe("Init");
      expect(r.trace?.slice(1).every((s) => s.label.action !== "Init")).toBe(true);
    }, 120_000);
  }
});

describe("Raft liveness under fairness, and the bug the checker catches without it", () => {
  for (const cfg of ["MCRaftLivenessNoFaults.cfg", "MCRaftLivenessBrokenNoFaults.cfg"]) {
    const want = expected.find((e) => e.cfg === cfg);
    it(`${cfg}: ${want?.verdict} (TLC's figures)`, async () => {
      expect(want, `${cfg} is listed in specs/raft/expected.json`).toBeDefined();
      const r = await checkSpec({ spec: { path: join(specs, want!.spec) }, cfg: { path: join(specs, cfg) } });
      expect(r.verdict).toBe(want!.verdict);
      expect(r.name).toBe(want!.name);
      expect({ distinct: r.distinct, generated: r.generated, traceLength: r.traceLength }).toEqual({
        distinct: want!.distinct,
        generated: want!.generated,
        traceLength: want!.traceLength,
      });
    }, 120_000);
  }
});
