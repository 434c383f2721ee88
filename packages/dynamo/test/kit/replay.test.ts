/**
 * Spec → implementation: traces of specs/dynamo/Dynamo.tla (random walks with crashes and a permanent
 * failure, and traces covering every state of the CI model) replayed on fresh Dynamo nodes; after
 * every step the nodes' state, abstracted, must equal the spec's.
 */
import { randomWalks, replayCoverage } from "@synod/conformance";
import { testSeed } from "@synod/testkit";
import { describe, expect, it } from "vitest";
import { dynamoAdapter, loadDynamoSpec } from "../../src/kit/replay.js";

const SERVERS = ["s1", "s2", "s3"];
const cfg = (o: { writes: number; reads: number; crashes: number; failures: number; countTwice?: boolean; symmetry?: boolean }): string =>
  [
    "CONSTANTS s1 = s1 s2 = s2 s3 = s3 s4 = s4",
    "Server = {s1, s2, s3}",
    "Ring <- Ring3",
    "N = 3 R = 2 W = 2 Sloppy = FALSE",
    `CountTwice = ${o.countTwice === true ? "TRUE" : "FALSE"}`,
    `MaxWrites = ${o.writes} MaxReads = ${o.reads} MaxCrashes = ${o.crashes} MaxFailures = ${o.failures}`,
    "INIT Init NEXT Next",
    o.symmetry === true ? "SYMMETRY ServerSymmetry" : "",
  ].join("\n");

describe("Dynamo: spec → implementation replay", () => {
  it("random walks with crashes and a permanent failure agree step by step", async () => {
    const spec = await loadDynamoSpec(cfg({ writes: 2, reads: 1, crashes: 1, failures: 1 }), SERVERS);
    const seed = testSeed("dynamo random walks", 1);
    const r = randomWalks(spec.model, dynamoAdapter(spec, SERVERS, { n: 3, r: 2, w: 2 }), { seed, walks: 150, depth: 20 });
    if (r.mismatch) console.log(JSON.stringify(r.mismatch, null, 1).slice(0, 3000));
    expect(r.mismatch).toBeNull();
    expect(r.uncovered.filter((a) => a !== "Handoff")).toEqual([]);
  });

  it("every state of the CI model (MCDynamo.cfg) is reached by replaying the implementation", async () => {
    const spec = await loadDynamoSpec(cfg({ writes: 2, reads: 1, crashes: 0, failures: 0, symmetry: true }), SERVERS);
    const r = replayCoverage(spec.model, dynamoAdapter(spec, SERVERS, { n: 3, r: 2, w: 2 }));
    if (r.mismatch) console.log(JSON.stringify(r.mismatch, null, 1).slice(0, 3000));
    expect(r.mismatch).toBeNull();
    // TLC's distinct states of MCDynamo.cfg (specs/dynamo/expected.json): replay must reach every one.
    expect(r.distinctStates).toBe(12_728);
  });

  it("catches the coordinator that counts its own replica twice (countReplicaTwice)", async () => {
    const spec = await loadDynamoSpec(cfg({ writes: 1, reads: 1, crashes: 0, failures: 0 }), SERVERS);
    // The broken build answers a write (or a read) from its own replica alone, the spec only at 2.
    const r = randomWalks(spec.model, dynamoAdapter(spec, SERVERS, { n: 3, r: 2, w: 2, countTwice: true }), { seed: 1, walks: 20, depth: 6 });
    expect(r.mismatch).not.toBeNull();
    const vars = r.mismatch?.diff.map((d) => d.variable) ?? [];
    expect(vars.some((v) => v === "acked" || v === "reads"), JSON.stringify(r.mismatch).slice(0, 500)).toBe(true);
  });
});
