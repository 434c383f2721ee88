/**
 * Check 2, implementation → spec (trace validation): Raft nodes in `stepMode: "spec"` run under the
 * simulator with faults (loss, duplication, reordering, partitions, crashes and restarts); a small
 * driver wrapped around each node takes the leader and candidate actions (`requestVote`,
 * `becomeLeader`, `sendAppendEntries`, `advanceCommitIndex`, client puts) at random times. Every
 * node step is labelled by the node itself (`recordActions`) and checked with the checker's
 * successor API: from the abstract state before the step, with the delivered message as the only
 * one in flight, some successor carrying that label must equal the abstract state after it, with
 * exactly the messages the step sent in flight. Network steps (loss, duplication, reordering) are
 * legal spec steps by construction (`messages` is a bag with DropMessage/DuplicateMessage); for the
 * same reason a message the node ignores (a step with no action and no visible change) is a legal
 * `DropMessage`.
 *
 * @module
 */
import type { ClientReply, Event, NodeId, ProtocolNode, Ready, Rng } from "@synod/protocol";
import { createKvNode, type ActionLabel, type KvResult, type RaftCommand, type RaftKvNode, type RaftMessage, type UnsafeOptions } from "@synod/raft";
import { generateNemesis, Simulation, type FaultSchedule, type NemesisKind, type StepRecord } from "@synod/sim";
import type { State, Successor } from "@synod/tla-checker-wasm";
import { AdapterError, diffStates } from "./adapter.js";
import { Xorshift } from "./rng.js";
import { RaftAbstraction, RaftAdapter, type AbstractNode } from "./raft/adapter.js";
import type { RaftSpec } from "./raft/spec-model.js";

const DRIVE = "drive";

/**
 * A `ProtocolNode` around a spec-mode Raft node: a `drive` timer makes it take one of the actions
 * a spec-mode node only takes when told (the simulator has no other way to tell it).
 */
export class SpecDriver implements ProtocolNode<RaftMessage, RaftCommand, KvResult> {
  /** The spec-mode node being driven. */
  readonly inner: RaftKvNode;
  private armDrive = true;
  private seq = 0;
  /** Labels of the actions taken in the last step. */
  lastActions: ActionLabel[] = [];

  /**
   * @param id - the node's id.
   * @param peers - the other servers.
   * @param rng - the node's random stream (election timeouts and the driver's choices).
   * @param unsafe - the broken variant to run.
   * @param values - client values the driver puts.
   * @param clientId - the driver's client id; fresh per incarnation, because the node deduplicates
   *   by (clientId, seq) and a restarted driver starts its seq again.
   */
  constructor(
    readonly id: NodeId,
    private readonly peers: NodeId[],
    private readonly rng: Rng,
    unsafe: UnsafeOptions,
    private readonly values: readonly string[],
    private readonly clientId: string,
  ) {
    this.inner = createKvNode({ id, peers, rng, options: { stepMode: "spec", unsafe } });
    this.inner.recordActions(true);
  }

  step(event: Event<RaftMessage, RaftCommand>): void {
    if (event.type === "timer" && event.name === DRIVE) {
      this.armDrive = true;
      this.drive();
    } else {
      this.inner.step(event);
    }
    this.lastActions = this.inner.takeActions();
  }

  private drive(): void {
    const n = this.inner;
    const j = this.peers[this.rng.nextInt(0, this.peers.length - 1)] as NodeId;
    const tries: (() => boolean)[] = [
      () => n.requestVote(j),
      () => n.becomeLeader(),
      () => n.sendAppendEntries(j),
      () => n.advanceCommitIndex(),
      () => {
        if (n.inspect().role !== "leader" || n.inspect().log.length >= 8) return false;
        const value = this.values[this.rng.nextInt(0, this.values.length - 1)] as string;
        n.step({ type: "request", nowMs: 0, request: { clientId: this.clientId, seq: ++this.seq, command: { op: "put", key: "x", value } } });
        return true;
      },
    ];
    const start = this.rng.nextInt(0, tries.length - 1);
    for (let k = 0; k < tries.length; k++) if ((tries[(start + k) % tries.length] as () => boolean)()) return;
  }

  hasReady(): boolean {
    return this.armDrive || this.inner.hasReady();
  }

  ready(): Ready<RaftMessage, KvResult, RaftCommand> {
    const rd = this.inner.ready();
    // Spec-mode client puts come from the driver itself: no client waits for their replies.
    const replies: ClientReply<KvResult>[] = rd.replies.filter((r) => !r.clientId.startsWith("driver-"));
    const timers = this.armDrive ? [...rd.timers, { name: DRIVE, afterMs: this.rng.nextInt(2, 20) }] : rd.timers;
    this.armDrive = false;
    return { ...rd, replies, timers };
  }
}

/** Options of {@link validateImplementation}. */
export interface ValidateOptions {
  /** Simulation and nemesis seed. */
  seed: number;
  /** Virtual time to run. */
  durationMs: number;
  /** Broken variant to run (default: the correct build). */
  unsafe?: UnsafeOptions;
  /** Nemesis kinds (default crash, partition). */
  kinds?: NemesisKind[];
  /**
   * Probability of crashing a node right after a step in which it granted a vote, once its host
   * carried out that step's ready and before its next step (a targeted fault for "acknowledged
   * before persisted" bugs), and restarting it 5 ms later.
   */
  crashAfterGrantProbability?: number;
}

/** The first step the spec does not allow, or null. */
export interface ValidationFailure {
  /** The simulator's step index. */
  stepIndex: number;
  /** Virtual time of the step. */
  atMs: number;
  /** The node that stepped. */
  node: NodeId;
  /** What it stepped, in words. */
  event: string;
  /** The spec actions the node reported for the step. */
  actions: string;
  /** Why the spec does not allow the step (differing variables included). */
  problem: string;
  /** The last dozen steps of the cluster up to it, in words (for context). */
  context: string[];
}

/** Outcome of one validated run. */
export interface ValidationReport {
  /** The run's seed. */
  seed: number;
  /** Simulator events processed. */
  steps: number;
  /** Node steps checked against the spec (stutters not counted). */
  checkedActions: number;
  /** Checked steps per spec action. */
  actions: Record<string, number>;
  /** Faults in the generated schedule. */
  faults: number;
  /** The first step the spec does not allow, or null. */
  failure: ValidationFailure | null;
  /** Wall-clock duration. */
  seconds: number;
}

/** Run one simulation and validate every node step against the spec (see the module comment). */
export function validateImplementation(spec: RaftSpec, opts: ValidateOptions): ValidationReport {
  const t0 = performance.now();
  const { model } = spec;
  const abs = new RaftAbstraction(spec);
  const adapter = new RaftAdapter(spec);
  const ids = spec.servers;
  const last = new Map<NodeId, AbstractNode>();
  const actions = new Map<string, number>();
  const history: string[] = [];
  let checked = 0;
  let failure: ValidationFailure | null = null;
  const faults: FaultSchedule = generateNemesis({ seed: opts.seed, nodes: ids, endMs: opts.durationMs, intervalMs: { minMs: 100, maxMs: 400 }, kinds: opts.kinds ?? ["crash", "partition"] });
  let sim: Simulation<RaftMessage, RaftCommand, KvResult> | null = null;
  // The targeted crashes draw from their own stream so they do not disturb the simulator's.
  const crashRng = new Xorshift(opts.seed ^ 0x5eed);
  const roll = (): number => crashRng.next() / 4294967296;

  const statesEqual = (a: State, b: State): boolean => a.every((v, k) => model.values.equals(v, b[k]));
  const check = (record: StepRecord<RaftMessage, RaftCommand, KvResult>, node: SpecDriver): string | null => {
    const labels = node.lastActions;
    const before = last.get(record.node) as AbstractNode;
    const after = abs.node(node.inner.inspect());
    const sent = (record.ready?.send ?? []).map((e) => ({ from: record.node, to: e.to, message: e.message }));
    const ev = record.event;
    const consumed = ev.type === "message" ? [{ from: ev.from, to: record.node, message: ev.message }] : [];
    const nodesBefore = new Map(last);
    const nodesAfter = new Map(last).set(record.node, after);
    last.set(record.node, after);
    const sBefore = abs.state(nodesBefore, abs.bag(consumed));
    const sAfter = abs.state(nodesAfter, abs.bag(sent));
    if (labels.length === 0) {
      // A stutter: nothing the spec sees may change (a consumed message must have been handled).
      const unchanged = abs.state(nodesBefore, abs.bag([]));
      if (statesEqual(adapter.observable(unchanged), adapter.observable(sAfter))) return null;
      return "the step changed spec-visible state but the node reported no action";
    }
    if (labels.length > 1) return `one step took ${labels.length} spec actions; stepMode "spec" must take one`;
    const label = labels[0] as { action: string; params: Record<string, string | number> };
    actions.set(label.action, (actions.get(label.action) ?? 0) + 1);
    checked++;
    const matchesLabel = (s: Successor): boolean =>
      s.label.action === label.action &&
      s.label.params.every(([n, v]) => (n === "i" || n === "j" ? spec.nameOf(v) === String(label.params[n]) : true));
    const candidates = model.successors(sBefore, { level: 1 }).filter(matchesLabel);
    if (candidates.length === 0) return `the spec does not enable ${fmt(label)} in the state before the step`;
    const want = adapter.observable(sAfter);
    if (candidates.some((c) => statesEqual(adapter.observable(c.state), want))) return null;
    // Show the differences from the first candidate (usually the only one with this label).
    const diff = diffStates(model, adapter.observable((candidates[0] as Successor).state), want);
    const diffText = diff.map((d) => `${d.variable}: spec ${d.expected} / impl ${d.actual}`).join("; ");
    return `no ${fmt(label)} successor of the spec matches the implementation: ${diffText}`;
  };

  sim = new Simulation<RaftMessage, RaftCommand, KvResult>({
    seed: opts.seed,
    nodes: ids,
    createNode: (id, rng, ctx) => new SpecDriver(id, ids.filter((x) => x !== id), rng, opts.unsafe ?? {}, spec.values, `driver-${id}-${ctx.incarnation}`),
    network: { latency: { type: "uniform", minMs: 1, maxMs: 8 }, lossProbability: 0.05, duplicateProbability: 0.05 },
    faults,
    budget: { maxTimeMs: opts.durationMs, maxEvents: 2_000_000 },
    record: { messages: false, steps: false, history: false },
    observer: {
      afterStep: (record, n) => {
        if (failure !== null) return;
        const node = n as SpecDriver;
        const desc = describe(record);
        if (!last.has(record.node)) {
          last.set(record.node, abs.node(node.inner.inspect()));
          return;
        }
        let problem: string | null;
        try {
          problem = check(record, node);
        } catch (e) {
          problem = e instanceof AdapterError ? e.message : `validation threw: ${(e as Error).message}`;
        }
        history.push(`${record.atMs.toFixed(1)}ms ${record.node} ${desc} -> ${node.lastActions.map(fmt).join(", ") || "(no action)"}`);
        if (history.length > 12) history.shift();
        if (problem !== null) {
          failure = { stepIndex: record.index, atMs: record.atMs, node: record.node, event: desc, actions: node.lastActions.map(fmt).join(", "), problem, context: [...history] };
          sim?.stop();
          return;
        }
        const granted = record.ready?.send.some((e) => e.message.type === "RequestVoteResponse" && e.message.granted) ?? false;
        if (granted && opts.crashAfterGrantProbability !== undefined && roll() < opts.crashAfterGrantProbability) {
          // After the host carried out this step's ready (persisted, then sent), before the next step.
          sim?.after(0.001, () => sim?.applyFault({ type: "crash", node: record.node }));
          sim?.after(5, () => sim?.applyFault({ type: "restart", node: record.node }));
        }
      },
    },
  });
  const run = sim.run();
  return {
    seed: opts.seed,
    steps: run.events,
    checkedActions: checked,
    actions: Object.fromEntries([...actions].sort()),
    faults: faults.length,
    failure,
    seconds: (performance.now() - t0) / 1000,
  };
}

function fmt(l: { action: string; params: Record<string, string | number> }): string {
  return `${l.action}(${Object.entries(l.params).map(([k, v]) => `${k}=${v}`).join(", ")})`;
}

function describe(r: StepRecord<RaftMessage, RaftCommand, KvResult>): string {
  const e = r.event;
  switch (e.type) {
    case "message":
      return `receives ${e.message.type} from ${e.from}`;
    case "timer":
      return `timer ${e.name}`;
    case "request":
      return `request ${JSON.stringify(e.request.command)}`;
    case "restart":
      return "restart";
    case "start":
      return "start";
    case "ready":
      return "ready";
  }
}
