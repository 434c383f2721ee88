import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkHistories, replay, runHistory, writeReplay, type HistoryRun, type ProtocolKit } from "@synod/conformance";
import { kit } from "../../src/kit/index.js";
import type { RaftTypes } from "../../src/kit/types.js";
import { FULL, testSeed } from "@synod/testkit";
import { LOG_PREFIX } from "../../src/index.js";

type HistoryNode = ReturnType<typeof kit.histories.node>;
type NodeInit = Parameters<typeof kit.histories.node>[0];

/** The kit with each history node built by `build` over the kit's own builder: a bug planted from outside the node. */
function withNodes(build: (init: NodeInit) => HistoryNode): ProtocolKit<RaftTypes> {
  return { ...kit, histories: { ...kit.histories, node: build } };
}

/** `n` with the events `skip` picks never stepped (a lost timer, a deaf node). */
function skipping(n: HistoryNode, skip: (e: Parameters<HistoryNode["step"]>[0]) => boolean): HistoryNode {
  const step = n.step.bind(n);
  n.step = (e) => (skip(e) ? undefined : step(e));
  return n;
}

const base: HistoryRun = {
  protocol: "raft",
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

describe("histories", () => {
  it("the correct build's histories are linearizable on generated runs", async () => {
    const seed = testSeed("histories", 1);
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

  it("catches voteWithoutUpToDateCheck, shrinks it, and the replay file reproduces it exactly", async () => {
    const dir = await mkdtemp(join(tmpdir(), "conformance-test-"));
    const r = await checkHistories(kit, { seed: 1, numRuns: 40, variant: "voteWithoutUpToDateCheck", replayDir: dir });
    const f = r.failure!;
    expect(f.outcome.verdict).toBe("violation");
    expect(f.path).not.toBe("");
    const out = await replay(f.replayFile);
    expect(out).toMatchObject({ ok: false, reproduced: true, verdict: "violation" });
    expect(out.report).toContain("not linearizable");
    expect(out.report).toMatch(/schedule \(\d+ faults; then heal and restart all at 2500 ms\):/);
  });

  it("catches ackBeforePersist under the targeted schedule, and the correct build passes it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "conformance-test-"));
    const targeted = (seed: number, variant: string | null): HistoryRun => ({ ...base, seed, durationMs: 3000, faults: [], keys: 10, readRatio: 0.7, variant, targeted: "ack-before-persist" });
    for (let seed = 1; seed <= 3; seed++) {
      const o = runHistory(kit, targeted(seed, null));
      expect(o.verdict, `correct build, seed ${seed}`).toBe("ok");
      expect(o.finalOk).toBe(10);
    }
    const run = targeted(1, "ackBeforePersist");
    const o = runHistory(kit, run);
    expect(o.verdict).toBe("violation");
    const out = await replay(await writeReplay(run, o, dir));
    expect(out).toMatchObject({ ok: false, reproduced: true, verdict: "violation" });
  });

  // The issue-22 blind spots: each variant against the schedule aimed at it. The correct build
  // passes every seed the variant is tried on, and the replay file reproduces the failure.
  const aimed = (targeted: string, seed: number, variant: string | null): HistoryRun => {
    const t = kit.histories.targeted![targeted]!;
    return { ...base, seed, durationMs: 3000, faults: [], keys: t.workload?.keys ?? 10, readRatio: 0.7, variant, options: { ...(t.options as object) }, targeted };
  };
  for (const [targeted, variant, explained] of [
    ["deposed-leader-suffix", "heartbeatCommitBeyondMatch", /exactly-once broken|state machine safety broken/],
    // Storage against memory at the truncating step, before any restart.
    ["truncate-then-restart", "truncateWithoutPersist", /^durable state broken on n\d at [\d.]+ ms \(after message AppendEntriesRequest\): storage does not hold what memory does: a restart from storage (would give log \[|fails: .*corrupt)/],
    ["leader-change-with-reads", "readBeforeTermCommit", /is not linearizable/],
    ["snapshot-over-conflict", "installSnapshotOverConflict", /invariant broken on n\d .*InstallSnapshotRequest\): LogTermsMonotonic/],
    ["membership-churn", "keepConfigOnTruncate", /invariant broken on n\d .*AppendEntriesRequest\): ServerConfig: the node uses voters \[n\d, n\d\] learners \[\], but its log's last configuration \(index \d+\) has voters \[n1, n2, n3\]/],
  ] as const) {
    it(`catches ${variant} under the ${targeted} schedule, which the correct build passes`, async () => {
      let caught = 0;
      let first: HistoryRun | null = null;
      for (let seed = 1; seed <= 4; seed++) {
        const ok = runHistory(kit, aimed(targeted, seed, null));
        expect(ok.verdict, `correct build, seed ${seed}: ${ok.explanation}`).toBe("ok");
        expect(ok.finalOk).toBe(ok.finalTotal);
        const o = runHistory(kit, aimed(targeted, seed, variant));
        if (o.verdict === "violation") {
          expect(o.explanation).toMatch(explained);
          caught++;
          first ??= aimed(targeted, seed, variant);
        }
      }
      // Seeds 1-4 are the ones conformance tries; most of them must catch it, not only one.
      expect(caught, `${variant} caught on ${caught} of 4 seeds`).toBeGreaterThanOrEqual(3);
      const dir = await mkdtemp(join(tmpdir(), "conformance-test-"));
      const out = await replay(await writeReplay(first!, runHistory(kit, first!), dir));
      expect(out).toMatchObject({ ok: false, reproduced: true, verdict: "violation" });
    });
  }

  it("durable state: a node that recovers other than what it held before the crash fails at the restart", () => {
    // The storage check passes (storage holds every write); the restart alone forgets the second
    // half of the log (more than the last step's writes, which a crash in their fsync may lose).
    const forgetful = withNodes((init) => {
      const n = kit.histories.node(init);
      const step = n.step.bind(n);
      n.step = (e) => {
        if (e.type !== "restart") return step(e);
        const keys = [...e.durable.keys()].filter((k) => k.startsWith(LOG_PREFIX)).sort();
        const durable = new Map(e.durable);
        for (const k of keys.slice(Math.ceil(keys.length / 2))) durable.delete(k);
        return step({ ...e, durable });
      };
      return n;
    });
    const o = runHistory(forgetful, base);
    expect(o.verdict).toBe("violation");
    expect(o.explanation).toMatch(/^durable state broken on n2 at 1400\.0 ms \(after restart\): the restarted node did not recover the durable state it held before the crash: it holds log \[.*\(before the crash: \[/);
    // The correct build recovers exactly, at every restart of the same run.
    expect(runHistory(kit, base).verdict).toBe("ok");
  });

  it("durable state: appends left out of storage fail the run, although only appending steps are not restarted from storage at once", () => {
    // n3 never writes the entries it appends (its term and vote it does write).
    const leaky = withNodes((init) => {
      const n = kit.histories.node(init);
      if (init.id !== "n3") return n;
      const ready = n.ready.bind(n);
      n.ready = () => {
        const rd = ready();
        return { ...rd, persist: rd.persist.filter((w) => "delete" in w || !w.key.startsWith(LOG_PREFIX)) };
      };
      return n;
    });
    const o = runHistory(leaky, { ...base, faults: [] });
    expect(o.verdict).toBe("violation");
    expect(o.explanation).toMatch(/^durable state broken on n3 .*storage does not hold what memory does: a restart from storage would give log \[/);
  });

  it("membership-churn: a membership request that never completes fails the run, and the schedule's requests stay out of the judged history", () => {
    const run = aimed("membership-churn", 1, null);
    const ok = runHistory(kit, run);
    expect(ok.verdict, ok.explanation).toBe("ok");
    expect(ok.history.some((e) => e.f !== "get" && e.f !== "put" && e.f !== "cas")).toBe(false);
    // Nodes that never answer an admin request (as if the change were never appended).
    const deaf = withNodes((init) =>
      skipping(kit.histories.node(init), (event) => event.type === "request" && (event.request.command.op === "add-server" || event.request.command.op === "remove-server")),
    );
    const o = runHistory(deaf, run);
    expect(o.verdict).toBe("violation");
    expect(o.explanation).toMatch(/^the targeted schedule's check failed: remove n\d: timeout$/);
  });

  it("State Machine Safety and RaftExt's node invariants are checked on every step of the correct build", () => {
    // With snapshots every entry and none kept, restarts and lagging nodes go through InstallSnapshot.
    const o = runHistory(kit, { ...base, options: { snapshotEveryEntries: 1, snapshotRetainEntries: 0 } });
    expect(o.verdict).toBe("ok");
    expect(kit.histories.logIndexed).toBe(true);
  });

  it("State Machine Safety: a node that applies another command at an index fails the run, at that step", () => {
    // n2 reports one application with a forged value: the check compares it with what n1 and n3
    // applied at that index.
    let forged = false;
    const tampered = withNodes((init) => {
      const n = kit.histories.node(init);
      if (init.id !== "n2") return n;
      const ready = n.ready.bind(n);
      n.ready = () => {
        const rd = ready();
        const applied = rd.applied.map((a) => {
          if (forged || a.index < 10 || a.command.op !== "put") return a;
          forged = true;
          return { ...a, command: { ...a.command, value: "forged" } };
        });
        return { ...rd, applied };
      };
      return n;
    });
    const o = runHistory(tampered, base);
    expect(forged).toBe(true);
    expect(o.verdict).toBe("violation");
    expect(o.explanation).toMatch(/^state machine safety broken: n\d applied \{"request":\{"clientId":"c\d","seq":\d+\},"command":\{"op":"put","key":"k\d","value":"(forged|c[^"]+)"\}\} at index \d+ \([\d.]+ ms\), where n\d applied .*"forged"|state machine safety broken: n2 applied .*"forged"/);
  });

  it("a damaged replay file is an error naming the file and the field", async () => {
    const dir = await mkdtemp(join(tmpdir(), "conformance-test-"));
    const file = join(dir, "bad.json");
    const wrap = (run: unknown): string => JSON.stringify({ format: "synod-replay/2", check: "histories", run, expected: { verdict: "ok", historyDigest: "x" } });
    await writeFile(file, wrap({ ...base, clients: "four" }));
    await expect(replay(file)).rejects.toThrow(`${file}: run.clients: expected a number`);
    await writeFile(file, wrap({ ...base, protocol: "zab" }));
    await expect(replay(file)).rejects.toThrow('unknown protocol "zab" (known: ');
    await writeFile(file, wrap({ ...base, variant: "noSuchBug" }));
    await expect(replay(file)).rejects.toThrow('raft has no broken variant "noSuchBug" (it has: commitPriorTermByCounting, ');
    await writeFile(file, "{ not json");
    await expect(replay(file)).rejects.toThrow(`${file}: not JSON`);
    const unknownNode = join(dir, "unknown-node.json");
    await writeFile(unknownNode, wrap({ ...base, faults: [{ atMs: 1, fault: { type: "crash", node: "n9" } }] }));
    await expect(replay(unknownNode)).rejects.toThrow(/run\.faults: .*n9/);
    expect(await readFile(file, "utf8")).toBe("{ not json");
  });
});

describe("check-quorum-step-down (conformance's generic schedule)", () => {
  const run = (seed: number): HistoryRun => ({ ...base, seed, durationMs: 3000, faults: [], keys: 10, readRatio: 0.7, options: {}, targeted: "check-quorum-step-down" });
  /** The kit with its nodes built with `options` over the run's, their steps filtered by `drop` (bugs no unsafe flag plants). */
  const tampered = (options: Record<string, boolean>, drop: (type: string) => boolean = () => false): ProtocolKit<RaftTypes> =>
    withNodes((init) =>
      skipping(kit.histories.node({ ...init, options: { ...(init.options as Record<string, boolean>), ...options } }), (e) => e.type === "message" && drop(e.message.type)),
    );

  it("the correct build keeps its leader while it reaches a majority and steps down once cut off", () => {
    for (let seed = 1; seed <= 4; seed++) {
      const o = runHistory(kit, run(seed));
      expect(o.verdict, `seed ${seed}: ${o.explanation}`).toBe("ok");
    }
  });

  it("fails a leader that ignores check-quorum, and one that steps down while it reaches a majority", () => {
    const never = runHistory(tampered({ checkQuorum: false }), run(1));
    expect(never.verdict).toBe("violation");
    expect(never.explanation).toMatch(/^the targeted schedule's check failed: n\d still leads at 1450 ms, 450 ms after it was cut off from every other node with check-quorum on/);
    // A leader deaf to its followers' answers counts no one as active.
    const deaf = runHistory(tampered({}, (t) => t === "AppendEntriesResponse" || t === "HeartbeatResponse"), run(1));
    expect(deaf.verdict).toBe("violation");
    expect(deaf.explanation).toMatch(/^the targeted schedule's check failed: n\d stopped leading at [\d.]+ ms \(after timer\), while it reached a majority/);
  });

  it("idle-leader: the correct build keeps one leader on heartbeats alone; a leader whose heartbeat timer is lost does not", () => {
    const idle: HistoryRun = { ...run(1), clients: 0, targeted: "idle-leader" };
    for (let seed = 1; seed <= 3; seed++) expect(runHistory(kit, { ...idle, seed }).verdict).toBe("ok");
    const noBeat = withNodes((init) => skipping(kit.histories.node(init), (e) => e.type === "timer" && e.name === "heartbeat"));
    const o = runHistory(noBeat, idle);
    expect(o.verdict).toBe("violation");
    expect(o.explanation).toMatch(/^the targeted schedule's check failed: n\d stopped leading at [\d.]+ ms .*while it reached a majority/);
  });

  it("isolate-leader fails a leader that checks its quorum although the run turned check-quorum off", () => {
    const r: HistoryRun = { ...run(1), options: { checkQuorum: false, preVote: false }, targeted: "isolate-leader" };
    expect(runHistory(kit, r).verdict).toBe("ok");
    const o = runHistory(tampered({ checkQuorum: true }), r);
    expect(o.verdict).toBe("violation");
    expect(o.explanation).toMatch(/^the targeted schedule's check failed: n\d stopped leading while cut off, with check-quorum off/);
  });
});
