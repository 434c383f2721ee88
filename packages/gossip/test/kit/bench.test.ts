/**
 * The bench's figures on small sizes, with the bounds that must hold (the full table comes from
 * `pnpm bench`).
 */
import { describe, expect, test } from "vitest";
import { antiEntropyBytes, convergenceAfterHeal, disseminate } from "../../src/kit/bench.js";

describe("gossip bench figures", () => {
  test("an update reaches 64 nodes in about log N rounds; more fanout, fewer rounds", () => {
    const rounds = [1, 2, 4].map((f) => disseminate(64, f, 1).rounds);
    for (const r of rounds) expect(r).not.toBeNull();
    expect(rounds[0] as number).toBeLessThanOrEqual(2 * Math.log2(64));
    expect(rounds[2] as number).toBeLessThanOrEqual(rounds[0] as number);
  });
  test("rumor mongering alone dies out (feedback stop rule), having reached most nodes", () => {
    const r = disseminate(64, 1, 1, { antiEntropy: "off" });
    expect(r.rumorReach).toBeGreaterThan(0.9 * 64);
  });
  test("Merkle anti-entropy ships far fewer bytes than a full-state exchange at 1% divergence", () => {
    const full = antiEntropyBytes(1000, 10, { antiEntropy: "full" });
    const merkle = antiEntropyBytes(1000, 10, { antiEntropy: "merkle", merkleBranching: 16, merkleDepth: 2 });
    expect(full.repaired).toBe(10);
    expect(merkle.repaired).toBe(10);
    expect(merkle.bytes).toBeLessThan(full.bytes / 3);
  });
  test("16 nodes converge within a second of a partition healing", () => {
    const ms = convergenceAfterHeal(16, 1);
    expect(ms).not.toBeNull();
    expect(ms as number).toBeLessThan(1000);
  });
});
