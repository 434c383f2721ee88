import { describe, expect, it } from "vitest";
import { validateWith } from "@synod/conformance";
import { kit } from "../../src/kit/index.js";
import { FULL, testSeed } from "@synod/testkit";

describe("implementation → spec trace validation", () => {
  it("every step of spec-mode nodes under faults is a legal Raft.tla transition", async () => {
    const seed = testSeed("trace validation", 1);
    const spec = await kit.spec.load("validate", "ci");
    let targeted = 0;
    for (let s = seed; s < seed + (FULL ? 20 : 3); s++) {
      const r = validateWith(kit, spec, { seed: s });
      if (r.failure) throw new Error(`seed ${s}: ${JSON.stringify(r.failure, null, 2)}`);
      expect(r.checkedActions).toBeGreaterThan(100);
      targeted += r.targetedCrashes;
      for (const a of ["Timeout", "RequestVote", "BecomeLeader", "AppendEntries", "HandleAppendEntriesRequest", "Restart"]) {
        expect(r.actions[a] ?? 0, `seed ${s} ${a}`).toBeGreaterThan(0);
      }
    }
    // The targeted crash (right after a vote is granted) did strike.
    expect(targeted).toBeGreaterThan(0);
  });

  it("reports the step, the action and why the spec rejects it", async () => {
    const spec = await kit.spec.load("validate", "ci");
    const variant = kit.brokenVariants.find((v) => v.name === "commitPriorTermByCounting")!.variant;
    let problem: string | null = null;
    for (let s = 1; s <= 10 && problem === null; s++) problem = validateWith(kit, spec, { seed: s, variant }).failure?.problem ?? null;
    expect(problem).toMatch(/the spec does not enable AdvanceCommitIndex\(i=s\d\) here/);
  });

  it("checks storage against memory at every step: an unpersisted truncation and an unpersisted vote are reported where they happen", async () => {
    const spec = await kit.spec.load("validate", "ci");
    const first = (name: string): string => {
      const variant = kit.brokenVariants.find((v) => v.name === name)!.variant;
      for (let s = 1; s <= 10; s++) {
        const f = validateWith(kit, spec, { seed: s, variant }).failure;
        if (f !== null) return `${f.event} -> ${f.actions}: ${f.problem}`;
      }
      return "not caught in 10 seeds";
    };
    expect(first("truncateWithoutPersist")).toMatch(/receives AppendEntriesRequest .*-> HandleAppendEntriesRequest.*: storage does not hold what memory does/);
    expect(first("ackBeforePersist")).toMatch(/storage does not hold what memory does: a restart from storage would give currentTerm \d+ \(memory: \d+\)/);
  });

  it("after every restart, the recovered node must hold the durable state it held before the crash", async () => {
    const spec = await kit.spec.load("validate", "ci");
    // Storage holds every write (the step check passes: its shadow restarts at time 0); a real
    // restart forgets the vote and goes back a term, so only the restart check (and then the spec)
    // can see it.
    const amnesiac = {
      ...kit,
      validate: {
        ...kit.validate,
        node: (init: Parameters<typeof kit.validate.node>[0]) => {
          const n = kit.validate.node(init);
          const step = n.step.bind(n);
          n.step = (e) => {
            if (e.type !== "restart" || e.nowMs === 0) return step(e);
            const durable = new Map(e.durable);
            const hs = durable.get("raft/hardstate") as { term: number; votedFor: string | null } | undefined;
            if (hs !== undefined && hs.term > 0) durable.set("raft/hardstate", { term: hs.term - 1, votedFor: null });
            return step({ ...e, durable });
          };
          return n;
        },
      },
    };
    let problem: string | null = null;
    for (let s = 1; s <= 10 && problem === null; s++) {
      const f = validateWith(amnesiac, spec, { seed: s }).failure;
      if (f !== null) problem = `${f.event} -> ${f.actions}: ${f.problem}`;
    }
    expect(problem).toMatch(/^restart -> Restart\(i=s\d\): the restarted node did not recover the durable state it held before the crash: it holds currentTerm \d+ \(before the crash: \d+\); votedFor /);
  });
});
