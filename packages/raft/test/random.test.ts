/**
 * Randomized safety test: many seeds of a 5-node cluster under loss, duplication, reordering,
 * crashes and restarts, with Raft's safety properties and KV consistency checked after every step.
 * Replay one seed with `SEED=<n> npx vitest run test/random.test.ts`; widen with `SEEDS=<count>`.
 */
import { describe, expect, test } from "vitest";
import type { RaftOptions } from "../src/types.js";
import { randomRun, type RunStats } from "./harness/random-run.js";

const only = process.env.SEED !== undefined ? Number(process.env.SEED) : null;
const count = Number(process.env.SEEDS ?? 60);
const seeds = only !== null ? [only] : Array.from({ length: count }, (_, k) => k + 1);
const steps = Number(process.env.STEPS ?? 1500);

const variants: { name: string; options: Partial<RaftOptions>; admin?: boolean; clockDrift?: number }[] = [
  { name: "defaults (pre-vote, check-quorum, read-index)", options: { maxBatchEntries: 4, maxInflight: 4 } },
  { name: "no pre-vote, no check-quorum, spec-like", options: { preVote: false, checkQuorum: false, maxBatchEntries: 1, noopOnLeader: false, readMode: "log" } },
  { name: "snapshots every 8 entries, lease reads", options: { snapshotEveryEntries: 8, snapshotRetainEntries: 0, readMode: "lease", maxBatchEntries: 3 } },
  { name: "membership changes and transfers", options: { snapshotEveryEntries: 16, snapshotRetainEntries: 6 }, admin: true },
  {
    name: "lease reads, clock rates differing by up to 4% (bound 5%)",
    options: { readMode: "lease", leaseClockDriftBound: 0.05, heartbeatMs: 30 },
    clockDrift: 0.04,
  },
];

describe("randomized safety", () => {
  for (const v of variants) {
    test(`${v.name}: ${seeds.length} seeds x ${steps} steps`, () => {
      const total: RunStats = { completed: 0, reads: 0, committed: 0, leaderChanges: 0, crashes: 0 };
      for (const seed of seeds) {
        let s: RunStats;
        try {
          s = randomRun({ seed, steps, options: v.options, admin: v.admin, clockDrift: v.clockDrift });
        } catch (e) {
          console.error(`[raft random] variant "${v.name}" failed at seed ${seed}; replay with SEED=${seed}`);
          throw e;
        }
        for (const k of Object.keys(total) as (keyof RunStats)[]) total[k] += s[k];
      }
      console.log(`[raft random] ${v.name}: seeds ${seeds[0]}..${seeds[seeds.length - 1]}`, JSON.stringify(total));
      // The runs must make progress, or the safety checks prove nothing.
      expect(total.completed).toBeGreaterThan(seeds.length);
      expect(total.committed).toBeGreaterThan(seeds.length * 3);
    }, 120_000);
  }
});

describe("the randomized harness has teeth", () => {
  // Each broken variant must be caught within the first seeds (the search stops at the first catch).
  const broken: { flag: "readWithoutConfirmation" | "voteWithoutUpToDateCheck"; options: Partial<RaftOptions> }[] = [
    { flag: "readWithoutConfirmation", options: { preVote: false, checkQuorum: false } },
    { flag: "voteWithoutUpToDateCheck", options: {} },
  ];
  for (const b of broken) {
    test(`unsafe.${b.flag} is caught`, () => {
      let caught: string | null = null;
      for (let seed = 1; seed <= 300 && caught === null; seed++) {
        try {
          randomRun({ seed, steps, options: { ...b.options, unsafe: { [b.flag]: true } } });
        } catch (e) {
          caught = `seed ${seed}: ${(e as Error).message}`;
        }
      }
      console.log(`[raft random] unsafe.${b.flag}: ${caught ?? "not caught"}`);
      expect(caught).not.toBeNull();
    }, 120_000);
  }
});

describe("crash in the middle of persisting", () => {
  test("every prefix of every ready's writes recovers (snapshots, truncations, membership)", () => {
    const n = Math.max(5, Math.floor(seeds.length / 4));
    for (const seed of seeds.slice(0, n)) {
      randomRun({ seed, steps, admin: true, checkCrashPrefixes: true, options: { snapshotEveryEntries: 5, snapshotRetainEntries: 2, maxBatchEntries: 4 } });
    }
    console.log(`[raft random] crash prefixes: ${n} seeds x ${steps} steps recovered after every prefix`);
  }, 120_000);
});
