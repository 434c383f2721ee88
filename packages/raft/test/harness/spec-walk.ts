/**
 * Random walks over raft.tla's actions, driving nodes in `stepMode: "spec"` through the conformance
 * hooks, with the safety properties checked after every action (like TLC's simulation mode, but
 * on the implementation).
 */
import { SeededRng, type NodeId } from "@synod/protocol";
import type { RaftOptions, UnsafeOptions } from "../../src/types.js";
import { Cluster } from "./cluster.js";
import { SafetyChecker } from "./safety.js";

export interface WalkConfig {
  seed: number;
  steps: number;
  servers?: number;
  unsafe?: UnsafeOptions;
}

/** One walk; returns the action labels taken. Throws `SafetyViolation` on a broken property. */
export function specWalk(cfg: WalkConfig): string[] {
  const ids: NodeId[] = Array.from({ length: cfg.servers ?? 3 }, (_, k) => `s${k + 1}`);
  const options: Partial<RaftOptions> = { stepMode: "spec", unsafe: cfg.unsafe ?? {} };
  const c = new Cluster({ ids, seed: cfg.seed, options });
  const rng = SeededRng.derive(cfg.seed, "spec-walk");
  const checker = new SafetyChecker();
  const pick = <T>(xs: readonly T[]): T => xs[rng.nextInt(0, xs.length - 1)] as T;
  const labels: string[] = [];
  let value = 0;
  for (let step = 0; step < cfg.steps; step++) {
    const i = pick(ids);
    const j = pick(ids.filter((x) => x !== i));
    const n = c.node(i);
    const r = rng.nextInt(0, 999) / 10;
    let label: string | null = null;
    if (r < 1.5) {
      if (n.inspect().role !== "leader") {
        c.fire(i, "election");
        label = `Timeout(${i})`;
      }
    } else if (r < 9.5) {
      if (n.takeAction("RequestVote", { j: j })) label = `RequestVote(${i}, ${j})`;
    } else if (r < 15.5) {
      if (n.takeAction("BecomeLeader", {})) label = `BecomeLeader(${i})`;
    } else if (r < 21.5) {
      if (n.inspect().role === "leader") {
        value++;
        c.request(i, "v", value, { op: "put", key: "x", value: `v${value}` });
        label = `ClientRequest(${i}, v${value})`;
      }
    } else if (r < 39.5) {
      if (n.takeAction("AppendEntries", { j: j })) label = `AppendEntries(${i}, ${j})`;
    } else if (r < 47.5) {
      if (n.takeAction("AdvanceCommitIndex", {})) label = `AdvanceCommitIndex(${i})`;
    } else if (r < 48) {
      c.crash(i);
      c.restart(i);
      label = `Restart(${i})`;
    } else if (c.inflight.length > 0) {
      const m = pick(c.inflight);
      const kind = rng.nextInt(0, 9);
      if (kind === 0) {
        c.drop(m.id);
        label = `DropMessage(${m.message.type} ${m.from}->${m.to})`;
      } else {
        c.deliver(m.id, kind === 1);
        label = `Handle${m.message.type}(${m.to}, ${m.from})${kind === 1 ? " (duplicated)" : ""}`;
      }
    }
    c.process(i);
    c.takeOutputs();
    if (label === null) continue;
    labels.push(label);
    for (const id of ids) {
      const node = c.node(id);
      const shadow = c.written.get(id);
      try {
        checker.observe(node.inspect(), (k) => shadow?.get(k), () => node.kvEntries());
      } catch (e) {
        (e as Error).message += `\n  after ${labels.length} actions (seed ${cfg.seed}); last: ${labels.slice(-8).join(", ")}`;
        throw e;
      }
    }
  }
  return labels;
}
