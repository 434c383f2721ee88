/**
 * A schedule aimed at acknowledgements sent before the writes they depend on are durable: one
 * follower is isolated at 995 ms; the other follower is crashed right after it acknowledges
 * entries, the leader crashed, the network healed, the follower restarted and later the old
 * leader. The new majority (the isolated follower and the restarted one) may then lack entries a
 * majority acknowledged. Deterministic (it acts only through the simulation's faults), so replay
 * files reproduce it.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import type { TargetedSchedule } from "@synod/conformance";
import type { RaftTypes } from "./types.js";

/** See the module comment. */
export const ackBeforePersist: TargetedSchedule<RaftTypes> = {
  description: "crash a follower right after it acknowledges entries, then the leader, while the third node is isolated",
  arm(sim, nodes) {
    let armed = false;
    let fired = false;
    let leader: NodeId | null = null;
    sim.at(995, () => {
      leader = nodes.find((id) => sim.node(id)?.inspect().role === "leader") ?? null;
      const isolated = nodes.find((id) => id !== leader);
      if (leader === null || isolated === undefined) return;
      sim.applyFault({ type: "partition", groups: [[isolated]] });
      armed = true;
    });
    return {
      onStep: (step) => {
      if (!armed || fired || step.atMs <= 1000 || leader === null) return;
      const m = step.event.message;
      if (step.event.type !== "message" || m?.type !== "AppendEntriesRequest" || m.entries.length === 0) return;
      const acked = step.ready?.send.some((e) => e.message.type === "AppendEntriesResponse" && e.message.success) ?? false;
      if (!acked) return;
      fired = true;
      const follower = step.node;
      const old = leader;
      sim.after(0.5, () => sim.applyFault({ type: "crash", node: follower }));
      sim.after(6, () => sim.applyFault({ type: "crash", node: old }));
      sim.after(8, () => sim.applyFault({ type: "heal" }));
      sim.after(10, () => sim.applyFault({ type: "restart", node: follower }));
      sim.after(1500, () => sim.applyFault({ type: "restart", node: old }));
      },
    };
  },
};

/**
 * A schedule aimed at reads a leader answers without confirming that it still leads: at 1000 ms
 * the leader is cut off from the other nodes (clients still reach it) and the network heals at
 * 1800 ms. Without check-quorum the isolated leader keeps believing it leads while the majority
 * elects another and writes; a correct leader confirms each read with a quorum (ReadIndex) and so
 * answers none, the broken one answers from its stale state.
 */
export const isolateLeader: TargetedSchedule<RaftTypes> = {
  description: "isolate the leader at 1000 ms and heal at 1800 ms, without check-quorum, while clients keep talking to it",
  options: { checkQuorum: false, preVote: false },
  arm(sim, nodes) {
    let missed: string | null = null;
    let cut: NodeId | undefined;
    sim.at(1000, () => {
      cut = nodes.find((id) => sim.node(id)?.role === "leader");
      if (cut !== undefined) sim.applyFault({ type: "partition", groups: [[cut]] });
    });
    sim.at(1800, () => {
      // What the schedule aims at needs a leader that still leads when cut off: without
      // check-quorum nothing but a higher term may depose it (a node that checks its quorum
      // although told not to would make the schedule test nothing).
      if (cut !== undefined && sim.node(cut)?.role !== "leader") missed = `${cut} stopped leading while cut off, with check-quorum off (only a higher term may depose it then)`;
      sim.applyFault({ type: "heal" });
    });
    return { onStep: () => {}, finish: () => missed };
  },
};

/**
 * A schedule aimed at InstallSnapshot over a conflicting log: after 1000 ms the leader is cut off
 * as soon as it holds two entries that no follower holds (at 1600 ms at the latest); without
 * check-quorum it keeps leading. The majority elects a new leader that snapshots every entry and
 * keeps none behind its snapshot, and the network heals as soon as that leader's snapshot ends
 * inside the old leader's uncommitted entries (at 2200 ms at the latest). The new leader must then
 * send the old one its snapshot, whose last entry conflicts with the old leader's entry there.
 */
export const snapshotOverConflict: TargetedSchedule<RaftTypes> = {
  description: "isolate the leader holding two entries no follower has; heal once the new leader's snapshot ends inside them",
  options: { checkQuorum: false, preVote: false, snapshotEveryEntries: 1, snapshotRetainEntries: 0 },
  arm(sim, nodes) {
    let old: NodeId | null = null;
    let oldTerm = 0;
    let healed = false;
    const isolate = (id: NodeId): void => {
      if (old !== null) return;
      old = id;
      oldTerm = sim.node(id)?.inspect().term ?? 0;
      sim.applyFault({ type: "partition", groups: [[id]] });
    };
    const heal = (): void => {
      if (healed || old === null) return;
      healed = true;
      sim.applyFault({ type: "heal" });
    };
    sim.at(1600, () => {
      const leader = nodes.find((id) => sim.node(id)?.inspect().role === "leader");
      if (leader !== undefined) isolate(leader);
    });
    sim.at(2200, heal);
    return {
      onStep: (step) => {
        if (healed || step.atMs < 1000 || (step.ready?.persist.length ?? 0) === 0) return;
        const n = sim.node(step.node);
        if (n === undefined) return;
        const s = n.inspect();
        if (old === null) {
          if (s.role !== "leader") return;
          // What the followers hold (not what the leader knows they do): appends in flight are
          // dropped by the partition.
          const held = Math.max(0, ...nodes.filter((id) => id !== step.node).map((id) => lastIndex(sim.node(id))));
          if (lastIndex(n) - held >= 2) isolate(step.node);
          return;
        }
        const o = sim.node(old);
        const snap = n.snapshotInfo.latestIndex;
        if (step.node === old || o === undefined || s.role !== "leader" || s.term <= oldTerm) return;
        const mine = o.inspect();
        // The old leader holds an entry of its own term at the snapshot's index, and more after it.
        const at = snap - mine.snapshotIndex - 1;
        if (at >= 0 && mine.snapshotIndex + mine.log.length > snap && mine.log[at]?.term === oldTerm) heal();
      },
    };
  },
};

/** A node's last log index (0 when it is down). */
function lastIndex(n: { inspect(): { snapshotIndex: number; log: readonly unknown[] } } | undefined): number {
  if (n === undefined) return 0;
  const s = n.inspect();
  return s.snapshotIndex + s.log.length;
}

/**
 * A schedule aimed at reads a new leader serves before it commits an entry of its term: one
 * follower is cut off at 995 ms and falls behind; at the first write the leader acknowledges after
 * 1400 ms that no message of the same step announces, the leader is cut off (so that commit
 * reaches no other node; it crashes 400 ms later) and the lagging follower rejoins. The follower that holds the write wins the election but learns that it is committed only
 * when its no-op commits, which needs the lagging follower caught up, one entry per round trip
 * (the schedule's options). Clients read meanwhile; the old leader restarts 1.5 s later.
 */
export const leaderChangeWithReads: TargetedSchedule<RaftTypes> = {
  description: "cut a follower off at 995 ms; cut the leader off instead right after a write it acknowledges after 1400 ms",
  options: { maxBatchEntries: 1, maxInflight: 1 },
  // Two keys: the reads of the short window hit the acknowledged write's key.
  workload: { keys: 2 },
  arm(sim, nodes) {
    let leader: NodeId | null = null;
    let fired = false;
    sim.at(995, () => {
      leader = nodes.find((id) => sim.node(id)?.inspect().role === "leader") ?? null;
      const lagging = nodes.find((id) => id !== leader);
      if (leader === null || lagging === undefined) return;
      sim.applyFault({ type: "partition", groups: [[lagging]] });
    });
    return {
      onStep: (step) => {
        if (fired || leader === null || step.node !== leader || step.atMs < 1400) return;
        const rd = step.ready;
        if (rd === null || !rd.replies.some((r) => r.ok)) return;
        const put = rd.applied.filter((a) => a.command.op === "put").at(-1);
        if (put === undefined) return;
        // Only a commit that no message of this step tells a follower about: the crash below then
        // keeps it from every other node.
        const told = rd.send.some((e) => (e.message.type === "AppendEntriesRequest" || e.message.type === "HeartbeatRequest") && e.message.commitIndex >= put.index);
        if (told) return;
        fired = true;
        const old = leader;
        // Cut the leader off now (its clients still get their replies: the write is acknowledged)
        // and let the lagging follower back; crash the old leader once it has stepped down.
        sim.applyFault({ type: "partition", groups: [[old]] });
        sim.after(400, () => sim.applyFault({ type: "crash", node: old }));
        sim.after(401, () => sim.applyFault({ type: "heal" }));
        sim.after(1500, () => sim.applyFault({ type: "restart", node: old }));
      },
    };
  },
};

/**
 * A schedule aimed at a commit index a heartbeat carries beyond what the follower holds: after
 * 1000 ms the leader is cut off as soon as it holds two entries that no follower holds (at
 * 1600 ms at the latest); without check-quorum it keeps leading while the majority elects another
 * leader, which commits other entries at those indexes. At 2000 ms the network heals: the first
 * message the deposed leader gets from the new one is a heartbeat, which must not commit the
 * deposed leader's own entries.
 */
export const deposedLeaderSuffix: TargetedSchedule<RaftTypes> = {
  description: "isolate the leader holding two entries no follower has, heal at 2000 ms after the majority committed others",
  options: { checkQuorum: false, preVote: false },
  arm(sim, nodes) {
    let isolated = false;
    const isolate = (id: NodeId): void => {
      if (isolated) return;
      isolated = true;
      sim.applyFault({ type: "partition", groups: [[id]] });
    };
    sim.at(1600, () => {
      const leader = nodes.find((id) => sim.node(id)?.inspect().role === "leader");
      if (leader !== undefined) isolate(leader);
    });
    sim.at(2000, () => sim.applyFault({ type: "heal" }));
    return {
      onStep: (step) => {
        if (isolated || step.atMs < 1000 || (step.ready?.persist.length ?? 0) === 0) return;
        const n = sim.node(step.node);
        if (n === undefined || n.inspect().role !== "leader") return;
        const held = Math.max(0, ...nodes.filter((id) => id !== step.node).map((id) => lastIndex(sim.node(id))));
        if (lastIndex(n) - held >= 2) isolate(step.node);
      },
    };
  },
};

/**
 * A schedule aimed at a log truncation that is not persisted, shown by a restart: the leader is
 * isolated holding two entries no follower has (as in {@link deposedLeaderSuffix}), the network
 * heals at 2000 ms, and the deposed leader crashes once the first step in which a new leader's
 * AppendEntries overwrote part of its log is durable; it restarts 50 ms later. With one entry per
 * AppendEntries (the schedule's option) the overwrite replaces one entry of a longer suffix, so a
 * truncation that storage did not record comes back at the restart behind the new entry.
 */
export const truncateThenRestart: TargetedSchedule<RaftTypes> = {
  description: "isolate the leader holding two entries no follower has, heal at 2000 ms, crash it right after its log is overwritten, restart",
  options: { checkQuorum: false, preVote: false, maxBatchEntries: 1 },
  arm(sim, nodes) {
    let old: NodeId | null = null;
    let oldLast = 0;
    let fired = false;
    const isolate = (id: NodeId): void => {
      if (old !== null) return;
      old = id;
      sim.applyFault({ type: "partition", groups: [[id]] });
    };
    sim.at(1600, () => {
      const leader = nodes.find((id) => sim.node(id)?.inspect().role === "leader");
      if (leader !== undefined) isolate(leader);
    });
    sim.at(2000, () => sim.applyFault({ type: "heal" }));
    return {
      onStep: (step) => {
        if (fired || step.atMs < 1000) return;
        const n = sim.node(step.node);
        if (n === undefined) return;
        if (old === null) {
          if ((step.ready?.persist.length ?? 0) === 0 || n.inspect().role !== "leader") return;
          const held = Math.max(0, ...nodes.filter((id) => id !== step.node).map((id) => lastIndex(sim.node(id))));
          if (lastIndex(n) - held >= 2) isolate(step.node);
          return;
        }
        if (step.node !== old) return;
        const m = step.event.message;
        const overwrote = step.event.type === "message" && m?.type === "AppendEntriesRequest" && m.entries.length > 0 && m.prevLogIndex < oldLast;
        oldLast = lastIndex(n);
        if (!overwrote) return;
        fired = true;
        const victim = old;
        // Once the step's writes are durable (the simulator's fsync takes up to 2 ms).
        sim.after(2.5, () => sim.applyFault({ type: "crash", node: victim }));
        sim.after(50, () => sim.applyFault({ type: "restart", node: victim }));
      },
    };
  },
};

/**
 * A schedule aimed at membership changes under a leader crash and a partition, through the nodes'
 * admin path (the requests `synod serve raft`'s admin sends): at 800 ms a follower is removed from
 * the configuration and then added back, which makes it a learner and, once caught up, a voter
 * again; the leader crashes right after it appends that promotion (a configuration entry no other
 * node may hold yet) and restarts 300 ms later. Then the same node is removed once more and the
 * leader is cut off in the step it appends that removal (the entry reaches no one): the others
 * elect a leader without it, and the network heals as soon as they have (1 s later at the
 * latest), so the new leader's first append overwrites the removal entry and the cut-off leader
 * must fall back to the configuration its log then holds; the removal is retried against the new
 * leader (which may be the node being removed). Then the node is added back, the leader of the
 * moment removes itself (it must step down once that commits) and is added back. Every request
 * must complete and every live node must end with every node among its voters; a run where not
 * fails (`TargetHook.finish`).
 */
export const membershipChurn: TargetedSchedule<RaftTypes> = {
  description: "remove a follower at 800 ms and add it back, crashing the leader at the promotion; remove it again, cutting the leader off as it appends the removal until another is elected; add it back; the leader removes itself and is added back",
  arm(sim, nodes) {
    type Outcome = { type: "ok" } | { type: "fail"; error: string; detail?: string } | { type: "info"; reason: string };
    const why = (o: Outcome): string | null => (o.type === "ok" ? null : o.type === "fail" ? `${o.error}${o.detail === undefined ? "" : `: ${o.detail}`}` : o.reason);
    let target: NodeId | null = null;
    // The requests in order, and what became of each (null: acknowledged).
    const steps = ["remove", "add back", "remove again", "add back again", "remove the leader", "add the leader back"] as const;
    // The node of each request: the follower chosen at 800 ms, then the leader of the moment.
    const subject: NodeId[] = [];
    const done: (string | null)[] = [];
    let phase = -1; // index in `steps` of the request in flight
    let aimed = false; // the fault of the current phase was applied
    // Phase 2: the cut-off leader and its term, until the network heals.
    let cut: { node: NodeId; term: number } | null = null;
    const heal = (): void => {
      if (cut === null) return;
      cut = null;
      sim.applyFault({ type: "heal" });
    };
    const send = (k: number): void => {
      const leader = nodes.find((id) => sim.node(id)?.inspect().role === "leader");
      const node = k < 4 ? (target as NodeId) : k === 4 ? (leader ?? (target as NodeId)) : (subject[4] as NodeId);
      subject[k] = node;
      phase = k;
      aimed = false;
      // The leader removing itself steps down once its removal commits (Raft thesis, 4.2.2).
      const to = k === 4 ? node : nodes.find((id) => id !== node && id === leader) ?? (nodes.find((id) => id !== node) as NodeId);
      sim.request({ op: k % 2 === 0 ? "remove-server" : "add-server", node }, to, (o) => {
        const w = why(o as Outcome);
        done.push(w);
        if (w === null && k + 1 < steps.length) sim.after(100, () => send(k + 1));
      });
    };
    sim.at(800, () => {
      const leader = nodes.find((id) => sim.node(id)?.inspect().role === "leader");
      target = nodes.find((id) => id !== leader) ?? null;
      if (leader !== undefined && target !== null) send(0);
    });
    return {
      onStep: (step) => {
        if (cut !== null && step.node !== cut.node) {
          const s = sim.node(step.node)?.inspect();
          // Heal as soon as another leader is elected: its first append overwrites the removal.
          if (s !== undefined && s.role === "leader" && s.term > cut.term) heal();
        }
        if (aimed || target === null || (phase !== 1 && phase !== 2) || (step.ready?.persist.length ?? 0) === 0) return;
        const n = sim.node(step.node);
        if (n === undefined) return;
        const s = n.inspect();
        const last = s.log.at(-1);
        if (s.role !== "leader" || last === undefined || last.command.type !== "config" || s.commitIndex >= s.snapshotIndex + s.log.length) return;
        // The step that appended the promotion (phase 1) or the second removal (phase 2).
        if (s.config.voters.includes(target) !== (phase === 1) || s.config.learners.includes(target)) return;
        aimed = true;
        const victim = step.node;
        if (phase === 1) {
          sim.after(0.5, () => sim.applyFault({ type: "crash", node: victim }));
          sim.after(300, () => sim.applyFault({ type: "restart", node: victim }));
        } else {
          // Now, so that the appends of this step are dropped with the rest in flight.
          sim.applyFault({ type: "partition", groups: [[victim]] });
          cut = { node: victim, term: s.term };
          sim.after(1000, heal);
        }
      },
      finish: () => {
        if (phase < 0) return null; // no leader at 800 ms: nothing was asked
        for (let k = 0; k < steps.length; k++) {
          if (k >= done.length) return `${steps[k]}${subject[k] === undefined ? "" : ` ${subject[k]}`}: never completed`;
          if (done[k] !== null) return `${steps[k]} ${subject[k]}: ${done[k]}`;
        }
        for (const id of nodes) {
          const s = sim.node(id)?.inspect();
          const missing = nodes.filter((j) => !(s?.config.voters.includes(j) ?? true));
          if (missing.length > 0) return `${id} does not count ${missing.join(", ")} among its voters at the end (${s?.config.voters.join(", ")})`;
        }
        return null;
      },
    };
  },
};
