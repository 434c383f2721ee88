/**
 * Spec-guided walks of production nodes (spec → implementation on the production code paths): the
 * model checker's successor relation of RaftProd.tla picks each next event — a message delivered,
 * dropped or duplicated, an election or heartbeat timer, a client write, a restart — among the
 * actions a node starts on its own; the production node handles it with every consequence in one
 * step, and that step's reported actions must be a path of the spec from the state before to the
 * abstracted state after (as in trace validation). Unlike the simulator's random schedules, the
 * schedule here is the spec's: it reaches what the spec allows, at the spec's pace.
 *
 * @module
 */
import { AdapterError, specPath, type GuidedOutcome, type State, type Value } from "@synod/conformance";
import { SeededRng, type NodeId } from "@synod/protocol";
import { TestCluster, type InFlight } from "@synod/testkit";
import type { RaftMessage } from "../messages.js";
import { createKvNode, type RaftKvNode } from "../node.js";
import type { KvResult, RaftCommand, UnsafeOptions } from "../types.js";
import { PRODUCTION_VALIDATION_OPTIONS, RaftProdAbstraction, type RaftProdSpec } from "./production.js";

/** The spec actions that start a production step, and the event each is. */
const STARTS = new Set(["PreVoteTimeout", "Timeout", "CheckQuorum", "Heartbeat", "ClientRequest", "Restart", "DropMessage", "DuplicateMessage"]);

/** Options of {@link guidedWalks}. */
export interface GuidedOptions {
  /** Seed of the walks' choices. */
  seed: number;
  /** Walks, each from a fresh cluster. */
  walks: number;
  /** Events per walk at most. */
  depth: number;
  /** A broken build's flags (default: the correct build). */
  unsafe?: UnsafeOptions;
}

/**
 * Walk RaftProd.tla with production nodes (see the module comment). Odd walks run the defaults
 * (pre-vote, check-quorum); even walks neither, so that leaders change although the walk's clock
 * stands still (with check-quorum, a follower that heard from a leader refuses votes until its
 * lease expires).
 */
export function guidedWalks(spec: RaftProdSpec, opts: GuidedOptions): GuidedOutcome {
  const { model } = spec;
  const rng = SeededRng.derive(opts.seed, "guided-walks");
  const actions: Record<string, number> = {};
  const distinct = new Set<string>();
  let steps = 0;
  const matches = (implValue: string | number, name: string, specValue: unknown): boolean => {
    if (name === "prev") return model.values.toPortable(specValue as Value) === implValue;
    try {
      return spec.nameOf(specValue as Value) === String(implValue);
    } catch {
      return false;
    }
  };
  for (let w = 1; w <= opts.walks; w++) {
    const options = { ...PRODUCTION_VALIDATION_OPTIONS, ...(w % 2 === 0 ? { preVote: false, checkQuorum: false } : {}), unsafe: opts.unsafe ?? {} };
    const cluster = new TestCluster<RaftMessage, RaftCommand, KvResult, RaftKvNode>({
      ids: [...spec.servers],
      seed: opts.seed * 1000 + w,
      create: (id, peers, r) => {
        const n = createKvNode({ id, peers, rng: r, options });
        n.recordActions(true);
        return n;
      },
    });
    const abs = new RaftProdAbstraction(spec);
    const abstract = (): State => abs.state(new Map(spec.servers.map((id) => [id, abs.node(cluster.node(id))])), abs.bag(cluster.inflight));
    for (const id of spec.servers) cluster.node(id).takeActions();
    let state = model.initStates({ level: 1 })[0]!.state;
    const start = abstract();
    if (!state.every((v, k) => model.values.equals(v, start[k]))) return { steps, distinct: distinct.size, actions, failure: `walk ${w}: the fresh cluster is not RaftProd.tla's initial state` };
    let seq = 0;
    for (let d = 0; d < opts.depth; d++) {
      const next = model.successors(state, { level: d + 2 }).filter((s) => STARTS.has(s.label.action) || s.label.action.startsWith("Handle"));
      if (next.length === 0) break;
      // Deliveries three times in four (uniform over the handlers), else the other events (uniform
      // over their names): restarts, timeouts and network faults would otherwise drown out the
      // deliveries that let a leader commit and snapshot.
      const handlers = [...new Set(next.filter((s) => s.label.action.startsWith("Handle")).map((s) => s.label.action))];
      const others = [...new Set(next.filter((s) => !s.label.action.startsWith("Handle")).map((s) => s.label.action))];
      const names = handlers.length > 0 && (others.length === 0 || rng.nextFloat() < 0.75) ? handlers : others;
      const name = names[rng.nextInt(0, names.length - 1)]!;
      const ofName = next.filter((s) => s.label.action === name);
      const pick = ofName[rng.nextInt(0, ofName.length - 1)]!;
      const p = new Map(pick.label.params);
      const server = (k: string): NodeId => spec.nameOf(p.get(k) as Value);
      const message = (): InFlight<RaftMessage> => {
        const m = p.get("m") as Value;
        const hit = cluster.inflight.find((x) => model.values.equals(model.values.fromJS(abs.message(x.from, x.to, x.message)), m));
        if (hit === undefined) throw new AdapterError(`${name}: no such message in flight: ${model.values.format(m)}`);
        return hit;
      };
      let stepped: NodeId | null;
      let event: string;
      if (name === "PreVoteTimeout" || name === "Timeout" || name === "CheckQuorum") {
        stepped = server("i");
        event = `${stepped} election timer`;
        cluster.fire(stepped, "election");
      } else if (name === "Heartbeat") {
        stepped = server("i");
        event = `${stepped} heartbeat timer`;
        cluster.fire(stepped, "heartbeat");
      } else if (name === "ClientRequest") {
        stepped = server("i");
        const v = spec.nameOf(p.get("v") as Value);
        event = `${stepped} client put ${v}`;
        cluster.request(stepped, "guided", ++seq, { op: "put", key: "x", value: v });
      } else if (name === "Restart") {
        stepped = server("i");
        event = `${stepped} restart`;
        // The spec's Restart keeps the messages to the node in flight: restart it in place.
        cluster.restart(stepped);
      } else if (name === "DropMessage" || name === "DuplicateMessage") {
        stepped = null;
        const m = message();
        event = `${name} ${m.message.type} ${m.from}->${m.to}`;
        if (name === "DropMessage") cluster.drop(m.id);
        else cluster.duplicate(m.id);
      } else {
        const m = message();
        stepped = m.to;
        event = `${m.to} receives ${m.message.type} from ${m.from}`;
        cluster.deliver(m.id);
      }
      const labels = stepped === null ? [{ action: name, params: {} }] : cluster.node(stepped).takeActions();
      const after = abstract();
      steps++;
      for (const l of labels) actions[l.action] = (actions[l.action] ?? 0) + 1;
      if (stepped === null || labels.length === 0) {
        // The network's own step, or an event the node handled without any spec action (a timer
        // with nothing to do): the state after is the spec's drop / duplicate, or no change.
        const ok = stepped === null ? pick.state.every((v, k) => model.values.equals(v, after[k])) : state.every((v, k) => model.values.equals(v, after[k]));
        if (!ok) return { steps, distinct: distinct.size, actions, failure: `walk ${w}, event ${d + 1} (${event}): the state after it is not the spec's` };
      } else {
        const r = specPath(model, state, labels, after, { level: d + 2, matches });
        if (!r.ok) {
          const said = labels.map((l) => `${l.action}(${Object.values(l.params).join(", ")})`).join(", ");
          return { steps, distinct: distinct.size, actions, failure: `walk ${w} (seed ${opts.seed}), event ${d + 1}: ${event} -> ${said}: ${r.why}` };
        }
      }
      state = after;
      distinct.add(state.map((v) => model.values.format(v)).join("\n"));
    }
  }
  return { steps, distinct: distinct.size, actions, failure: null };
}
