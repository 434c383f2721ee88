/**
 * Histories of the Multi-Paxos KV service under faults, judged by lincheck; and the broken builds
 * the histories check must catch (each with a replay file that reproduces it exactly).
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkHistories, replay, runHistory, writeReplay, type HistoryRun, type ProtocolKit } from "@synod/conformance";
import { kit } from "../../src/kit/index.js";
import type { MultiPaxosTypes } from "../../src/kit/types.js";
import { MultiPaxos } from "../../src/multipaxos.js";
import { FULL, testSeed } from "@synod/testkit";

const base: HistoryRun = {
  protocol: "multipaxos",
  seed: 7,
  nodes: ["n1", "n2", "n3"],
  durationMs: 2000,
  faults: [
    { atMs: 600, fault: { type: "partition", groups: [["n1"]] } },
    { atMs: 1200, fault: { type: "crash", node: "n2" } },
    { atMs: 1400, fault: { type: "restart", node: "n2" } },
    { atMs: 1600, fault: { type: "heal" } },
  ],
  clients: 4,
  keys: 3,
  readRatio: 0.5,
  randomTargetProbability: 0.2,
  variant: null,
  options: {},
};

describe("Multi-Paxos histories", () => {
  it("the correct build's histories are linearizable on generated runs", async () => {
    const seed = testSeed("paxos kit histories", 1);
    const r = await checkHistories(kit, { seed, numRuns: FULL ? 100 : 8 });
    expect(r.failure?.outcome.explanation ?? null).toBeNull();
  });

  it("the same run gives the same history, byte for byte", () => {
    const a = runHistory(kit, base);
    const b = runHistory(kit, base);
    expect(a.verdict).toBe("ok");
    expect(a.okOperations).toBeGreaterThan(50);
    expect(a.finalOk).toBe(3);
    expect(b.historyDigest).toBe(a.historyDigest);
  });

  it("catches ignoreHighestAccepted on generated runs, and the replay file reproduces it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "paxos-test-"));
    const r = await checkHistories(kit, { seed: 1, numRuns: 40, variant: "ignoreHighestAccepted", replayDir: dir });
    const f = r.failure!;
    expect(f).not.toBeNull();
    console.log(`ignoreHighestAccepted: ${f.outcome.verdict}: ${f.outcome.explanation.split("\n")[0]}`);
    const out = await replay(f.replayFile);
    expect(out).toMatchObject({ ok: false, reproduced: true });
  });

  it("catches readAfterLeaseExpiry under the targeted schedule, and the correct build passes it", async () => {
    const targeted = (seed: number, variant: string | null): HistoryRun => ({ ...base, seed, durationMs: 3000, faults: [], keys: 10, readRatio: 0.7, variant, options: { checkQuorum: false }, targeted: "stale-lease-read" });
    for (let seed = 1; seed <= 3; seed++) {
      const o = runHistory(kit, targeted(seed, null));
      expect(o.verdict, `seed ${seed}: ${o.explanation}`).toBe("ok");
    }
    let caught = null;
    for (let seed = 1; seed <= 4 && caught === null; seed++) {
      const o = runHistory(kit, targeted(seed, "readAfterLeaseExpiry"));
      if (o.verdict === "violation") caught = { seed, o };
    }
    expect(caught).not.toBeNull();
    const file = await writeReplay(targeted(caught!.seed, "readAfterLeaseExpiry"), caught!.o);
    expect(await replay(file)).toMatchObject({ ok: false, reproduced: true, verdict: "violation" });
  });

  describe("schedules that bound how long a leader that cannot commit keeps leading", () => {
    const targeted = (name: string, seed: number, options: Record<string, boolean>): HistoryRun => ({ ...base, seed, durationMs: 3000, faults: [], keys: 10, readRatio: 0.7, options, targeted: name });
    /** The kit with its nodes built with `options` over the run's and then changed by `tamper` (bugs no unsafe flag plants). */
    const tampered = (options: Record<string, boolean>, tamper: (n: MultiPaxosTypes["node"]) => void = () => {}): ProtocolKit<MultiPaxosTypes> => ({
      ...kit,
      histories: {
        ...kit.histories,
        node: (init) => {
          const n = kit.histories.node({ ...init, options: { ...(init.options as Record<string, boolean>), ...options } });
          tamper(n);
          return n;
        },
      },
    });

    it("the correct build passes check-quorum-step-down (with the follower cut) and deposed-leader-nack", () => {
      for (const [name, options] of [["check-quorum-step-down", { checkQuorum: true }], ["deposed-leader-nack", { checkQuorum: false }]] as const) {
        for (let seed = 1; seed <= 4; seed++) {
          const o = runHistory(kit, targeted(name, seed, options));
          expect(o.verdict, `${name}, seed ${seed}: ${o.explanation}`).toBe("ok");
          expect(o.finalOk).toBe(o.finalTotal);
        }
      }
    });

    it("check-quorum-step-down fails a leader that ignores check-quorum, and one that steps down with nothing wrong", () => {
      // The schedule asks for check-quorum; these nodes run without it.
      const never = tampered({ checkQuorum: false });
      const o = runHistory(never, targeted("check-quorum-step-down", 1, { checkQuorum: true }));
      expect(o.verdict).toBe("violation");
      expect(o.explanation).toMatch(/^the targeted schedule's check failed: n\d still leads at 1450 ms, 450 ms after it was cut off from every other node with check-quorum on/);
      // A leader that counts no peer as heard from steps down at its first check (the runs
      // restart no node before the end, so the core this replaces stays the node's).
      const deaf = tampered({}, (n) => {
        const core = n.protocol as unknown as { active: Set<string> };
        core.active = new (class extends Set<string> {
          override add(): this {
            return this;
          }
        })();
      });
      const d = runHistory(deaf, targeted("check-quorum-step-down", 1, { checkQuorum: true }));
      expect(d.verdict).toBe("violation");
      expect(d.explanation).toMatch(/^the targeted schedule's check failed: n\d stopped leading at [\d.]+ ms \(after timer\), while it reached a majority/);
    });

    it("check-quorum-step-down fails a build without pre-vote: the follower cut off for 400 ms deposes the healthy leader when it rejoins", () => {
      const noPreVote = tampered({ preVote: false });
      for (let seed = 1; seed <= 2; seed++) {
        const o = runHistory(noPreVote, targeted("check-quorum-step-down", seed, { checkQuorum: true }));
        expect(o.verdict, `seed ${seed}`).toBe("violation");
        expect(o.explanation).toMatch(/^the targeted schedule's check failed: n\d stopped leading at [\d.]+ ms \(after message Nack\), while it reached a majority/);
      }
    });

    it("leader-stickiness: the correct build keeps its leader; builds without pre-vote, without stickiness or without the quiet period after a restart lose it to the cut-off follower", () => {
      for (let seed = 1; seed <= 4; seed++) {
        const o = runHistory(kit, targeted("leader-stickiness", seed, {}));
        expect(o.verdict, `seed ${seed}: ${o.explanation}`).toBe("ok");
        expect(o.finalOk).toBe(o.finalTotal);
      }
      const fails = (k: ProtocolKit<MultiPaxosTypes>, name: string): void => {
        const o = runHistory(k, targeted("leader-stickiness", 1, {}));
        expect(o.verdict, name).toBe("violation");
        expect(o.explanation, name).toMatch(/^the targeted schedule's check failed: n\d stopped leading at [\d.]+ ms \(after message Nack\), while it reached a majority/);
      };
      fails(tampered({ preVote: false }), "no pre-vote");
      // Nodes that forget, at every step, when they last heard a leader (no stickiness), or that
      // they restarted (no quiet period). Restarts build a new core, so the class is patched.
      for (const [name, field] of [["no stickiness", "lastLeaderContactMs"], ["no quiet period after a restart", "quietUntilMs"]] as const) {
        const proto = MultiPaxos.prototype as unknown as { beginStep(nowMs: number): void };
        const beginStep = proto.beginStep;
        proto.beginStep = function (this: Record<string, number>, nowMs: number) {
          beginStep.call(this, nowMs);
          this[field] = Number.NEGATIVE_INFINITY;
        };
        try {
          fails(kit, name);
        } finally {
          proto.beginStep = beginStep;
        }
      }
    });

    it("idle-leader: the correct build keeps one leader on heartbeats alone; a leader whose heartbeat timer is lost does not", () => {
      const idle: HistoryRun = { ...targeted("idle-leader", 1, {}), clients: 0 };
      for (let seed = 1; seed <= 3; seed++) expect(runHistory(kit, { ...idle, seed }).verdict).toBe("ok");
      const noBeat = tampered({}, (n) => {
        const step = n.step.bind(n);
        n.step = (e) => (e.type === "timer" && e.name === "heartbeat" ? undefined : step(e));
      });
      const o = runHistory(noBeat, idle);
      expect(o.verdict).toBe("violation");
      expect(o.explanation).toMatch(/^the targeted schedule's check failed: n\d stopped leading at [\d.]+ ms .*while it reached a majority/);
    });

    it("deposed-leader-nack fails a leader that ignores refusals, and one that steps down without check-quorum", () => {
      const ignoresNacks = tampered({}, (n) => {
        const step = n.step.bind(n);
        n.step = (e) => (e.type === "message" && e.message.type === "Nack" ? undefined : step(e));
      });
      const o = runHistory(ignoresNacks, targeted("deposed-leader-nack", 1, { checkQuorum: false }));
      expect(o.verdict).toBe("violation");
      expect(o.explanation).toMatch(/^the targeted schedule's check failed: n\d still leads at 1920 ms, 120 ms after it could reach a majority that promised a higher ballot/);
      const alwaysChecks = tampered({ checkQuorum: true });
      const a = runHistory(alwaysChecks, targeted("deposed-leader-nack", 1, { checkQuorum: false }));
      expect(a.verdict).toBe("violation");
      expect(a.explanation).toMatch(/stopped leading while cut off, with check-quorum off/);
    });
  });
});
