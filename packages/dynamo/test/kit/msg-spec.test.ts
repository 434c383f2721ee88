/**
 * The kit's two spec-side checks on DynamoMsg.tla (single message deliveries): spec →
 * implementation replay (random walks, and traces to every state of the CI model, whose count
 * must be TLC's) and implementation → spec trace validation (simulator runs under crashes,
 * partitions, loss, duplication and pauses, every node step checked); both must catch the
 * coordinator that counts its own replica twice.
 */
import { findRepoRoot, randomWalks, replayCoverage, validateWith } from "@synod/conformance";
import { testSeed } from "@synod/testkit";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { COVERAGE_DISTINCT, dynamoMsgAdapter, kit, loadMsgSpec, SLOPPY_SERVERS, SPEC_KEY, SPEC_OWNERS, TracedDynamoNode, VALIDATE_OPTIONS } from "../../src/kit/index.js";
import { resolveOptions } from "../../src/options.js";
import { Ring } from "../../src/ring.js";

describe("Dynamo: DynamoMsg.tla spec → implementation", () => {
  it("random walks of the sloppy model agree step by step and take every action", async () => {
    const spec = await kit.spec.load("walks", "ci");
    const seed = testSeed("dynamo msg walks", 1);
    const r = randomWalks(spec.model, kit.replay.adapter(spec), { seed, walks: 60, depth: 25 });
    if (r.mismatch) console.log(JSON.stringify(r.mismatch, null, 1).slice(0, 3000));
    expect(r.mismatch).toBeNull();
    expect(r.uncovered).toEqual([]);
  }, 120_000);

  it("every state of MCDynamoMsgSiblings.cfg is reached by replaying the implementation", async () => {
    const spec = await kit.spec.load("coverage", "ci");
    const r = replayCoverage(spec.model, kit.replay.adapter(spec));
    if (r.mismatch) console.log(JSON.stringify(r.mismatch, null, 1).slice(0, 3000));
    expect(r.mismatch).toBeNull();
    // TLC's distinct states of MCDynamoMsgSiblings.cfg (specs/dynamo/expected.json); `synod verify
    // --full` replays the 3,677 of MCDynamoMsg.cfg.
    expect(r.distinctStates).toBe(COVERAGE_DISTINCT.ci);
    expect(COVERAGE_DISTINCT).toEqual({ ci: 1106, full: 3677 });
  }, 120_000);

  it("catches countReplicaTwice: the spec answers a write only at W = 2 acknowledgements", async () => {
    const spec = await kit.spec.load("walks", "ci");
    const r = randomWalks(spec.model, kit.replay.adapter(spec, { countReplicaTwice: true }), { seed: 1, walks: 20, depth: 10 });
    expect(r.mismatch).not.toBeNull();
    expect(r.mismatch?.diff.map((d) => d.variable)).toContain("reqs");
  }, 60_000);
});

describe("Dynamo: the sloppy models are the implementation's ring", () => {
  it("RingWalk of MCDynamoMsg.tla is the ring walk of the key on s1..s4 (its owners the model's Owners)", () => {
    const ring = new Ring([...SLOPPY_SERVERS], resolveOptions({ nodes: [...SLOPPY_SERVERS] }).vnodes);
    expect(ring.walk(SPEC_KEY)).toEqual(["s3", "s1", "s2", "s4"]);
    expect([...ring.preferenceList(SPEC_KEY, 3)].sort()).toEqual([...SPEC_OWNERS]);
    // The checkout's root found by walking up, not by a relative path: Stryker runs this file from
    // a sandbox two folders below the package.
    const root = findRepoRoot(import.meta.dirname);
    if (root === null) throw new Error(`no Synod checkout above ${import.meta.dirname}`);
    const mc = readFileSync(join(root, "specs", "dynamo", "MCDynamoMsg.tla"), "utf8");
    expect(mc).toContain("RingWalk == IF s4 \\in Server THEN <<s3, s1, s2, s4>> ELSE <<s3, s1, s2>>");
  });
});

describe("Dynamo: implementation → DynamoMsg.tla trace validation", () => {
  it("every node step of runs under faults is a spec step", async () => {
    const spec = await kit.spec.load("validate", "ci");
    const base = testSeed("dynamo trace validation", 1);
    const seen: Record<string, number> = {};
    for (let k = 0; k < 2; k++) {
      const r = validateWith(kit, spec, { seed: base + k });
      if (r.failure) console.log(`seed ${base + k}:`, JSON.stringify(r.failure, null, 1));
      expect(r.failure).toBeNull();
      expect(r.checkedActions).toBeGreaterThan(50);
      for (const [a, n] of Object.entries(r.actions)) seen[a] = (seen[a] ?? 0) + n;
    }
    // Sloppy quorums included: stand-ins take writes as hints, silent targets are replaced, and hints are handed off.
    for (const a of ["Put", "Get", "HandleReplicate", "HandleAck", "HandleRead", "HandleReadReply", "Timeout", "Restart", "ReplicateAsHint", "Retarget", "Handoff", "HandleHandoff", "HandleHandoffAck"]) expect(seen[a] ?? 0, a).toBeGreaterThan(0);
  }, 180_000);

  it("catches countReplicaTwice at the first quorum it miscounts", async () => {
    const spec = await kit.spec.load("validate", "ci");
    const r = validateWith(kit, spec, { seed: 1, variant: { countReplicaTwice: true } });
    expect(r.failure).not.toBeNull();
    expect(r.failure?.problem).toMatch(/reqs/);
    expect(r.failure?.actions).toMatch(/^(Put|Get)\(c=s\d\)$/);
  }, 60_000);
});

describe("Dynamo: both trace checks with other quorums (R = 1, W = 3 and R = W = 1)", () => {
  for (const q of [
    { r: 1, w: 3 },
    { r: 1, w: 1 },
  ]) {
    it(`R = ${q.r}, W = ${q.w}: replay walks and trace validation agree`, async () => {
      const walks = await loadMsgSpec({ puts: 2, gets: 2, ...q });
      const r = randomWalks(walks.model, dynamoMsgAdapter(walks, undefined, q), { seed: 2, walks: 20, depth: 20 });
      if (r.mismatch) console.log(JSON.stringify(r.mismatch, null, 1).slice(0, 3000));
      expect(r.mismatch).toBeNull();
      const spec = await loadMsgSpec({ puts: 1_000_000, gets: 1_000_000, ...q });
      const k = { ...kit, validate: { ...kit.validate, node: (init: Parameters<typeof kit.validate.node>[0]) => new TracedDynamoNode(init.id, { ...VALIDATE_OPTIONS, ...q, sloppy: false, nodes: [init.id, ...init.peers].sort() }, init.rng) } };
      const v = validateWith(k, spec, { seed: 3, durationMs: 400 });
      if (v.failure) console.log(JSON.stringify(v.failure, null, 1));
      expect(v.failure).toBeNull();
      expect(v.actions.Put ?? 0).toBeGreaterThan(0);
    }, 120_000);
  }
});
