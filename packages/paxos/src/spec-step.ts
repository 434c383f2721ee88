/**
 * Spec-mode stepping, kept apart from the protocol core as etcd/raft keeps its trace hooks in
 * `state_trace.go`. A production node takes several of MultiPaxos.tla's actions in one step (a
 * timeout also sends every Prepare; a quorum of promises makes it lead and send every Accept; a
 * response drives more Accepts and catch-up). A spec-mode node (`stepMode: "spec"`) moves one
 * spec action at a time: the actions below happen only when the driver says.
 *
 * @module
 */
import type { MultiPaxos } from "./multipaxos.js";

/** The spec actions a spec-mode node takes only when told, with whether each takes a peer `j`. */
export const DRIVEN_ACTIONS: ReadonlyArray<{ action: string; peer: boolean }> = [
  { action: "SendPrepare", peer: true },
  { action: "BecomeLeader", peer: false },
  { action: "SendAccept", peer: true },
  { action: "SendDecide", peer: true },
  { action: "Tick", peer: false },
];

/**
 * Take MultiPaxos.tla's `action` on `core`. Returns whether the spec enables it there; an action
 * that is not enabled changes nothing. `Tick` is the host's business (the clock lives outside the
 * core, it survives restarts) and is handled by the node.
 *
 * - `SendPrepare(i, j)`: a candidate (re)sends `j` its Prepare unless `j` promised already;
 * - `BecomeLeader(i)`: a candidate with a quorum of promises recovers, fills gaps and leads;
 * - `SendAccept(i, j, k)`: a leader (re)sends `j` instance `k` (without `k`: the lowest instance
 *   `j` has not accepted);
 * - `SendDecide(i, j, k)`: a learner tells `j` a chosen value (without `k`: the lowest one it has
 *   not told `j` yet in this incarnation).
 */
export function takeSpecAction(core: MultiPaxos, action: string, params: Record<string, string | number>, told: Map<string, Set<number>>): boolean {
  const peer = (): string => {
    const j = params.j;
    if (typeof j !== "string") throw new Error(`${action}: needs the peer j (got ${JSON.stringify(j)})`);
    return j;
  };
  const slot = (): number | null => {
    const k = params.k;
    if (k === undefined) return null;
    if (typeof k !== "number" || !Number.isSafeInteger(k) || k < 1) throw new Error(`${action}: k must be a slot (got ${JSON.stringify(k)})`);
    return k;
  };
  switch (action) {
    case "SendPrepare":
      return core.sendPrepare(peer());
    case "BecomeLeader":
      return core.becomeLeader();
    case "SendAccept": {
      const j = peer();
      const k = slot();
      if (k !== null) return core.sendAccept(j, k);
      for (const [s, p] of [...core.proposals].sort((a, b) => a[0] - b[0])) if (!p.acks.has(j)) return core.sendAccept(j, s);
      return false;
    }
    case "SendDecide": {
      const j = peer();
      const k = slot();
      if (k !== null) return core.sendDecide(j, k);
      const sent = told.get(j) ?? new Set<number>();
      told.set(j, sent);
      for (const s of [...core.chosen.keys()].sort((a, b) => a - b)) {
        if (sent.has(s)) continue;
        sent.add(s);
        return core.sendDecide(j, s);
      }
      return false;
    }
    default:
      throw new Error(`${action} is not an action a Multi-Paxos node takes when told (${DRIVEN_ACTIONS.map((a) => a.action).join(", ")})`);
  }
}
