/**
 * Check 2, implementation → spec (trace validation): a protocol's traced nodes run under the
 * simulator with a generated fault schedule (and targeted crashes); a small driver wrapped around
 * each node takes, at random times, the actions a node only takes when told. Every node step
 * carries the spec actions the node says it took, and is checked with the checker's successor
 * API: from the abstract state before the step (with the delivered message as the only one in
 * flight), some sequence of successors carrying those labels, in order, must end in the abstract
 * state after it (with exactly the messages the step sent in flight; for a `set` network, also
 * the delivered one, which a set never loses).
 *
 * A step with no label must change nothing the spec sees (a message the node ignores is a legal
 * `DropMessage` in a bag network; one it holds for later, such as a delta waiting for its causal
 * past, stays in flight as far as the spec can tell). Network steps (loss, duplication, reordering) need no check:
 * the spec's network allows them by construction.
 *
 * @module
 */
import { formatActionLabel, isSpecStepping, type ActionLabel, type ClientReply, type DurableWrite, type Event, type Json, type NodeId, type ProtocolNode, type Ready, type Rng, type SpecStepping } from "@synod/protocol";
import { generateNemesis, SeededRng, Simulation, type FaultSchedule, type StepRecord } from "@synod/sim";
import type { CompiledModel, State, Successor } from "@synod/tla-checker-wasm";
import { AdapterError, diffStates } from "./adapter.js";
import type { KitTypes, ProtocolKit, StepAbstraction, ValidatePart, WireMessage } from "./kit.js";

const DRIVE = "synod-drive";

/**
 * A node wrapped with a `synod-drive` timer that makes it take one driven action (or send itself a
 * client command) at random times: the simulator has no other way to tell it.
 */
class Driven<T extends KitTypes> implements ProtocolNode<T["msg"], T["cmd"], T["res"]> {
  private armDrive = true;
  private seq = 0;
  /** Labels of the actions taken in the last step. */
  lastActions: ActionLabel[] = [];

  constructor(
    readonly inner: T["traced"] & Partial<SpecStepping>,
    private readonly part: ValidatePart<T>,
    private readonly spec: T["spec"],
    private readonly peers: readonly NodeId[],
    private readonly rng: Rng,
    private readonly clientId: string,
  ) {
    inner.recordActions(true);
  }

  get id(): NodeId {
    return this.inner.id;
  }

  step(event: Event<T["msg"], T["cmd"]>): void {
    if (event.type === "timer" && event.name === DRIVE) {
      this.armDrive = true;
      this.drive(event.nowMs);
    } else {
      this.inner.step(event);
    }
    this.lastActions = this.inner.takeActions();
  }

  private drive(nowMs: number): void {
    const driven = this.part.driven;
    const choices = driven.length + (this.part.request ? 1 : 0);
    if (choices === 0) return;
    const start = this.rng.nextInt(0, choices - 1);
    for (let k = 0; k < choices; k++) {
      const c = (start + k) % choices;
      if (c === driven.length) {
        const cmd = this.part.request?.(this.spec, this.rng, this.inner) ?? null;
        if (cmd === null) continue;
        const request = { clientId: this.clientId, seq: ++this.seq, command: cmd };
        this.inner.step({ type: "request", nowMs, request: this.part.seal === undefined ? request : this.part.seal(request) });
        return;
      }
      const a = driven[c]!;
      if (!isSpecStepping(this.inner)) throw new Error(`${this.id}: the spec has driven actions but the node implements no takeAction`);
      const params: Record<string, string> = a.peer ? { j: this.peers[this.rng.nextInt(0, this.peers.length - 1)]! } : {};
      if (this.inner.takeAction(a.action, params)) return;
    }
  }

  hasReady(): boolean {
    return this.armDrive || this.inner.hasReady();
  }

  ready(): Ready<T["msg"], T["res"], T["cmd"]> {
    const rd = this.inner.ready() as Ready<T["msg"], T["res"], T["cmd"]>;
    // The driver's own client commands have no client waiting for their answers.
    const replies: ClientReply<T["res"]>[] = rd.replies.filter((r) => r.clientId !== this.clientId);
    const timers = this.armDrive ? [...rd.timers, { name: DRIVE, afterMs: this.rng.nextInt(2, 20) }] : rd.timers;
    this.armDrive = false;
    return { ...rd, replies, timers };
  }
}

/**
 * Whether some path of the spec's successors labelled `labels` (in order, each label's parameters
 * matching by `matches`) leads from `from` to `want` (compared after `observe`): how one step of a
 * node that takes several spec actions at once is checked. `level` is the depth of `from`.
 */
export function specPath(
  model: CompiledModel,
  from: State,
  labels: readonly ActionLabel[],
  want: State,
  opts: { level: number; matches: (labelParam: string | number, name: string, specValue: unknown) => boolean; observe?: (s: State) => State },
): { ok: true; state: State } | { ok: false; why: string } {
  const observe = opts.observe ?? ((s: State): State => s);
  const equal = (a: State, b: State): boolean => a.every((v, k) => model.values.equals(v, b[k]));
  const label = labels[0]!;
  const candidates = model.successors(from, { level: opts.level }).filter(
    (s: Successor) =>
      s.label.action === label.action &&
      Object.entries(label.params).every(([n, v]) => {
        const p = s.label.params.find(([pn]) => pn === n);
        return p !== undefined && opts.matches(v, n, p[1]);
      }),
  );
  if (candidates.length === 0) return { ok: false, why: `the spec does not enable ${formatActionLabel(label)} here` };
  if (labels.length === 1) {
    const hit = candidates.find((c) => equal(observe(c.state), want));
    if (hit !== undefined) return { ok: true, state: hit.state };
    const diff = diffStates(model, observe(candidates[0]!.state), want);
    return { ok: false, why: `no ${formatActionLabel(label)} successor of the spec matches the implementation: ${diff.map((d) => `${d.variable}: spec ${d.expected} / impl ${d.actual}`).join("; ")}` };
  }
  let why = "";
  for (const c of candidates) {
    const r = specPath(model, c.state, labels.slice(1), want, { ...opts, level: opts.level + 1 });
    if (r.ok) return r;
    why = r.why;
  }
  return { ok: false, why: `after ${formatActionLabel(label)}: ${why}` };
}

/** Options of {@link validateImplementation}. */
export interface ValidateOptions<T extends KitTypes> {
  /** Simulation and nemesis seed. */
  seed: number;
  /** A broken variant's options (default: the correct build). */
  variant?: T["variant"];
  /** Virtual time to run (default: the descriptor's). */
  durationMs?: number;
}

/** The first step the spec does not allow. */
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
  /** The last dozen steps of the cluster up to it, in words. */
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
  /** Targeted crashes made. */
  targetedCrashes: number;
  /** The Byzantine nodes of the run and the behaviour each was given (their steps are not checked). */
  byzantine: Record<NodeId, string>;
  /** Steps of Byzantine nodes, not checked. */
  byzantineSteps: number;
  /** The first step the spec does not allow, or null. */
  failure: ValidationFailure | null;
  /** Wall-clock duration. */
  seconds: number;
}

/** The spec state before and after a step, from the node views and the messages involved. */
function stepStates<T extends KitTypes>(
  abs: StepAbstraction<T>,
  network: "bag" | "set",
  before: ReadonlyMap<NodeId, unknown>,
  after: ReadonlyMap<NodeId, unknown>,
  consumed: readonly WireMessage<T["msg"]>[],
  sent: readonly WireMessage<T["msg"]>[],
  time: { beforeMs: number; afterMs: number },
): { before: State; after: State; unchanged: State } {
  return {
    before: abs.state(before, consumed, time.beforeMs),
    after: abs.state(after, network === "set" ? [...consumed, ...sent] : sent, time.afterMs),
    unchanged: abs.state(before, network === "set" ? consumed : [], time.afterMs),
  };
}

/** Run one simulation and validate every node step against the spec (see the module comment). */
export async function validateImplementation<T extends KitTypes>(kit: ProtocolKit<T>, opts: ValidateOptions<T>): Promise<ValidationReport> {
  const spec = await kit.spec.load("validate", "ci");
  return validateWith(kit, spec, opts);
}

/** {@link validateImplementation} with the spec already loaded (for many seeds). */
export function validateWith<T extends KitTypes>(kit: ProtocolKit<T>, spec: T["spec"], opts: ValidateOptions<T>): ValidationReport {
  const t0 = performance.now();
  const part = kit.validate;
  const { model } = spec;
  const abs = part.abstraction(spec);
  const observe = (s: State): State => (abs.observable ? abs.observable(s) : s);
  const ids = [...spec.servers];
  const durationMs = opts.durationMs ?? part.durationMs;
  const last = new Map<NodeId, unknown>();
  const actions = new Map<string, number>();
  const history: string[] = [];
  let checked = 0;
  let targeted = 0;
  let failure: ValidationFailure | null = null;
  const generated: FaultSchedule = generateNemesis({ seed: opts.seed, nodes: ids, endMs: durationMs, intervalMs: { minMs: 100, maxMs: 400 }, kinds: part.faults });
  // Byzantine nodes misbehave from the start, one behaviour per seed from their own stream.
  const byzPart = part.byzantine;
  const byzNodes = new Set(byzPart?.nodes(spec) ?? []);
  for (const b of byzNodes) if (!ids.includes(b)) throw new Error(`validate.byzantine.nodes: ${b} is not one of the spec's servers (${ids.join(", ")})`);
  const byzantine: Record<NodeId, string> = {};
  const byzFaults: FaultSchedule = [];
  for (const [k, b] of [...byzNodes].sort().entries()) {
    if (byzPart === undefined || byzPart.behaviours.length === 0) throw new Error("validate.byzantine.behaviours: empty");
    // Seed s gives the behaviours in turn, so seeds 1..len cover every one of them.
    const behaviour = byzPart.behaviours[(Math.max(0, opts.seed - 1) + k) % byzPart.behaviours.length]!;
    byzantine[b] = behaviour;
    byzFaults.push({ atMs: 0, fault: { type: "byzantine", node: b, behaviour } });
  }
  const faults: FaultSchedule = [...byzFaults, ...generated];
  let byzantineSteps = 0;
  let sim: Simulation<T["msg"], T["cmd"], T["res"]> | null = null;
  // Targeted crashes draw from their own stream so they do not disturb the simulator's.
  const crashRng = SeededRng.derive(opts.seed, "targeted-crash");
  const matches = (labelParam: string | number, name: string, v: unknown): boolean =>
    part.paramMatches ? part.paramMatches(spec, name, v, labelParam) : safeName(spec, v) === String(labelParam);
  const statesEqual = (a: State, b: State): boolean => a.every((v, k) => model.values.equals(v, b[k]));

  const reaches = (from: State, labels: readonly ActionLabel[], want: State, level: number): { ok: true } | { ok: false; why: string } =>
    specPath(model, from, labels, want, { level, matches, observe });

  // The real time of the previous checked step: the spec's clock stands there.
  let lastMs = 0;
  const check = (record: StepRecord<T["msg"], T["cmd"], T["res"]>, node: Driven<T>): string | null => {
    const clock = part.clock;
    const ticks = clock === undefined ? 0 : Math.floor(record.atMs / clock.tickMs) - Math.floor(lastMs / clock.tickMs);
    if (ticks < 0) throw new Error(`validation: time went back from ${lastMs} ms to ${record.atMs} ms`);
    const time = { beforeMs: lastMs, afterMs: record.atMs };
    lastMs = record.atMs;
    const tickLabels: ActionLabel[] = clock === undefined ? [] : Array.from({ length: ticks }, () => ({ action: clock.action, params: {} }));
    const labels = [...tickLabels, ...node.lastActions];
    const after = abs.node(node.inner);
    const sent = (record.ready?.send ?? []).map((e) => ({ from: record.node, to: e.to, message: e.message as T["msg"] }));
    const ev = record.event;
    const consumed = ev.type === "message" ? [{ from: ev.from, to: record.node, message: ev.message as T["msg"] }] : [];
    const nodesBefore = new Map(last);
    const nodesAfter = new Map(last).set(record.node, after);
    last.set(record.node, after);
    const s = stepStates(abs, part.network, nodesBefore, nodesAfter, consumed, sent, time);
    if (labels.length === 0) {
      // A stutter: nothing the spec sees may change. A consumed message was handled (in a bag it
      // is gone: the spec's drop) or is held by the node for later (a causal-delivery buffer,
      // which the abstraction shows as still in flight: the state before the step).
      const a = observe(s.after);
      return statesEqual(observe(s.unchanged), a) || statesEqual(observe(s.before), a) ? null : "the step changed spec-visible state but the node reported no action";
    }
    for (const l of labels) actions.set(l.action, (actions.get(l.action) ?? 0) + 1);
    checked++;
    const r = reaches(s.before, labels, observe(s.after), 1);
    return r.ok ? null : r.why;
  };

  /**
   * Storage against memory: restart a fresh node from what storage holds once `writes` are durable
   * and compare its durable state with the live node's. Null when they agree.
   */
  const lastDurable = new Map<NodeId, string>();
  const checkDurable = (id: NodeId, inner: T["traced"], writes: readonly DurableWrite[]): string | null => {
    const durableOf = part.durable;
    if (durableOf === undefined || sim === null) return null;
    const memory = durableOf(inner);
    // Unchanged memory and nothing written: storage still matches (it did after the last check).
    const text = JSON.stringify(memory);
    if (writes.length === 0 && lastDurable.get(id) === text) return null;
    lastDurable.set(id, text);
    const store = new Map<string, Json>(sim.durable(id));
    for (const w of writes) {
      if ("delete" in w) store.delete(w.key);
      else store.set(w.key, w.value);
    }
    const shadow = part.node({ id, peers: ids.filter((x) => x !== id), rng: SeededRng.derive(opts.seed, `shadow-${id}`), variant: opts.variant, seed: opts.seed });
    try {
      shadow.step({ type: "restart", nowMs: 0, durable: store });
    } catch (e) {
      return `storage does not hold what memory does: a restart from storage fails: ${(e as Error).message}`;
    }
    const restored = durableOf(shadow);
    return durableDiff(memory, restored);
  };

  /**
   * After a restart: the recovered node must hold exactly the durable state it held before the
   * crash (storage is synchronous here, so every write of the last step was durable), which is
   * what the spec's durable variables say across its `Restart`.
   */
  const checkRecovered = (id: NodeId, inner: T["traced"]): string | null => {
    const durableOf = part.durable;
    const before = lastDurable.get(id);
    if (durableOf === undefined || before === undefined) return null;
    const diff = fieldDiff(JSON.parse(before) as Json, durableOf(inner), "before the crash");
    return diff === null ? null : `the restarted node did not recover the durable state it held before the crash: it holds ${diff}`;
  };

  sim = new Simulation<T["msg"], T["cmd"], T["res"]>({
    seed: opts.seed,
    nodes: ids,
    createNode: (id, rng, ctx) => {
      const peers = ids.filter((x) => x !== id);
      const inner = part.node({ id, peers, rng, variant: opts.variant, seed: opts.seed });
      return new Driven<T>(inner, part, spec, peers, rng, `driver-${id}-${ctx.incarnation}`);
    },
    network: { latency: { type: "uniform", minMs: 1, maxMs: 8 }, lossProbability: 0.05, duplicateProbability: 0.05 },
    faults,
    ...(byzPart === undefined ? {} : { byzantine: byzPart.hook(ids) }),
    budget: { maxTimeMs: durationMs, maxEvents: 2_000_000 },
    record: { messages: false, steps: false, history: false },
    observer: {
      afterStep: (record, n) => {
        if (failure !== null) return;
        const node = n as Driven<T>;
        const desc = describe(record);
        if (!last.has(record.node) || record.event.type === "start") {
          last.set(record.node, abs.node(node.inner));
          return;
        }
        if (byzNodes.has(record.node)) {
          // Not a spec step: the spec has no state for a Byzantine node; what it sends is checked
          // where it matters, at the correct nodes that receive it.
          byzantineSteps++;
          node.lastActions = [];
          last.set(record.node, abs.node(node.inner));
          return;
        }
        let problem: string | null;
        try {
          problem = (record.event.type === "restart" ? checkRecovered(record.node, node.inner) : null) ?? check(record, node) ?? checkDurable(record.node, node.inner, record.ready?.persist ?? []);
        } catch (e) {
          problem = e instanceof AdapterError ? e.message : `validation threw: ${(e as Error).message}`;
        }
        history.push(`${record.atMs.toFixed(1)}ms ${record.node} ${desc} -> ${node.lastActions.map(formatActionLabel).join(", ") || "(no action)"}`);
        if (history.length > 12) history.shift();
        if (problem !== null) {
          failure = { stepIndex: record.index, atMs: record.atMs, node: record.node, event: desc, actions: node.lastActions.map(formatActionLabel).join(", "), problem, context: [...history] };
          sim?.stop();
          return;
        }
        const t = part.targetedCrash;
        if (t !== undefined && record.ready !== null && t.when(record.ready) && crashRng.nextFloat() < t.probability) {
          // After the host carried out this step's ready (persisted, then sent), before the next step.
          targeted++;
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
    targetedCrashes: targeted,
    byzantine,
    byzantineSteps,
    failure,
    seconds: (performance.now() - t0) / 1000,
  };
}

function safeName(spec: KitTypes["spec"], v: unknown): string | null {
  try {
    return spec.nameOf(v);
  } catch {
    return null;
  }
}

function describe(r: StepRecord<unknown, unknown, unknown>): string {
  const e = r.event;
  switch (e.type) {
    case "message":
      return `receives ${(e.message as { type?: string })?.type ?? "a message"} from ${e.from}`;
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

/**
 * Where a node's durable state in memory differs from the state a restart from its storage gives,
 * field by field; null when equal.
 */
export function durableDiff(memory: Json, restored: Json): string | null {
  const fields = fieldDiff(memory, restored, "memory");
  return fields === null ? null : `storage does not hold what memory does: a restart from storage would give ${fields}`;
}

/**
 * The fields (of a JSON object; the whole value otherwise) where `actual` differs from `expected`,
 * each as "field ACTUAL (WHAT: EXPECTED)"; null when equal.
 */
export function fieldDiff(expected: Json, actual: Json, what: string): string | null {
  const memory = expected;
  const restored = actual;
  const a = JSON.stringify(memory);
  const b = JSON.stringify(restored);
  if (a === b) return null;
  const fields = (v: Json): Record<string, Json> => (v !== null && typeof v === "object" && !Array.isArray(v) ? v : { value: v });
  const m = fields(memory);
  const r = fields(restored);
  const keys = [...new Set([...Object.keys(m), ...Object.keys(r)])].filter((k) => JSON.stringify(m[k]) !== JSON.stringify(r[k]));
  const short = (v: Json | undefined): string => {
    const t = JSON.stringify(v) ?? "absent";
    return t.length > 120 ? `${t.slice(0, 117)}...` : t;
  };
  return keys.map((k) => `${k} ${short(r[k])} (${what}: ${short(m[k])})`).join("; ");
}

/**
 * Structural equality of JSON values (object key order ignored), with a shortcut for shared
 * objects: durable state from one step to the next shares most of its parts. With `known`, pairs
 * of objects found equal are remembered (so the values must never change afterwards, as durable
 * state's parts do not: a later step makes new objects), and each pair is compared once.
 */
export function jsonEqual(a: Json | undefined, b: Json | undefined, known?: WeakMap<object, WeakSet<object>>): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined || typeof a !== "object" || typeof b !== "object") return false;
  if (known?.get(a)?.has(b) === true) return true;
  let equal = true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let k = 0; k < a.length && equal; k++) equal = jsonEqual(a[k], b[k], known);
  } else {
    if (Array.isArray(b)) return false;
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ka.length !== kb.length) return false;
    for (const k of ka) if (!jsonEqual(a[k], b[k], known)) return false;
  }
  if (equal && known !== undefined) {
    let set = known.get(a);
    if (set === undefined) known.set(a, (set = new WeakSet()));
    set.add(b);
  }
  return equal;
}

/**
 * Whether `after` differs from `before` only by elements appended to arrays (at any depth): the
 * shape of a step that only appends to a log.
 */
export function appendOnly(before: Json | undefined, after: Json | undefined, known?: WeakMap<object, WeakSet<object>>): boolean {
  if (before === after) return true;
  if (before === null || after === null || before === undefined || after === undefined || typeof before !== "object" || typeof after !== "object") return false;
  if (Array.isArray(before)) {
    if (!Array.isArray(after) || after.length < before.length) return false;
    for (let k = 0; k < before.length; k++) if (!jsonEqual(before[k], after[k], known)) return false;
    return true;
  }
  if (Array.isArray(after)) return false;
  const kb = Object.keys(before).filter((k) => before[k] !== undefined);
  const ka = Object.keys(after).filter((k) => after[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const k of kb) if (!appendOnly(before[k], after[k], known)) return false;
  return true;
}
