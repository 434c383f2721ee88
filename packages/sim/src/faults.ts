/**
 * Faults and fault schedules. A schedule is plain JSON — a list of `{ atMs, fault }` — so a failing
 * run's schedule can be written to a replay file and read back with {@link parseFaultSchedule}.
 *
 * Every fault is tolerant: crashing a node that is already down, resuming one that is not paused,
 * healing a healthy network are recorded as no-ops, never errors. Any list of faults is therefore
 * a valid schedule, which is what lets a property-based tester shrink schedules freely.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import { SimulationConfigError } from "./errors.js";
import { type LatencyDistribution, validateLatency } from "./latency.js";
import { BYZANTINE_BEHAVIOURS, type ByzantineBehaviour } from "./byzantine.js";

/**
 * One fault.
 * - `partition`: split the network into `groups`; nodes not listed form one more group together.
 *   Messages between groups are dropped (at send and, if still in flight, at delivery). Replaces
 *   the previous partition; one-way cuts stay.
 * - `cut`: drop messages from every node in `from` to every node in `to` (one way only).
 * - `heal`: remove every partition and cut.
 * - `crash`: the node loses its volatile state, timers, queued events and writes not yet durable.
 * - `restart`: a crashed node comes back: a fresh node object stepped with a `restart` event
 *   carrying its durable storage.
 * - `pause` / `resume`: the node stops stepping; events for it queue up and are stepped on resume.
 * - `loss` / `duplicate`: set the network-wide probability (`null`: back to the configured value).
 * - `latency`: set the network-wide latency distribution (`null`: back to the configured one).
 * - `clock`: set a node's clock offset (ms) and/or drift (e.g. `0.01` runs 1% fast). With an
 *   offset the reading becomes `t · (1 + drift) + offsetMs` (a jump); a drift alone changes the
 *   rate from now on and the reading stays continuous (no jump). Timers already armed keep the
 *   virtual delay they were armed with.
 * - `byzantine`: the node starts to misbehave as `behaviour` says (see byzantine.ts); behaviours
 *   accumulate until `honest`. Those that change message contents need the protocol's hook
 *   (`SimulationOptions.byzantine`).
 */
export type Fault =
  | { type: "partition"; groups: NodeId[][] }
  | { type: "cut"; from: NodeId[]; to: NodeId[] }
  | { type: "heal" }
  | { type: "crash"; node: NodeId }
  | { type: "restart"; node: NodeId }
  | { type: "pause"; node: NodeId }
  | { type: "resume"; node: NodeId }
  | { type: "loss"; probability: number | null }
  | { type: "duplicate"; probability: number | null }
  | { type: "latency"; latency: LatencyDistribution | null }
  | { type: "clock"; node: NodeId; offsetMs?: number; drift?: number }
  | { type: "byzantine"; node: NodeId; behaviour: ByzantineBehaviour };

/** A fault and the virtual time (ms since the start of the run) at which it strikes. */
export interface ScheduledFault {
  /** Virtual time in ms since the start of the run. */
  atMs: number;
  /** What happens then. */
  fault: Fault;
}

/** A list of scheduled faults; order in the list breaks ties between equal `atMs`. */
export type FaultSchedule = ScheduledFault[];

/** Every fault type, for generators and validation. */
export const FAULT_TYPES = [
  "partition",
  "cut",
  "heal",
  "crash",
  "restart",
  "pause",
  "resume",
  "loss",
  "duplicate",
  "latency",
  "clock",
  "byzantine",
] as const satisfies readonly Fault["type"][];

function checkNode(value: unknown, path: string, nodes: ReadonlySet<NodeId> | undefined): NodeId {
  if (typeof value !== "string") throw new SimulationConfigError(path, `expected a node id string, got ${JSON.stringify(value)}`);
  if (nodes !== undefined && !nodes.has(value)) {
    throw new SimulationConfigError(path, `unknown node ${JSON.stringify(value)} (nodes: ${[...nodes].join(", ")})`);
  }
  return value;
}

function checkNodeList(value: unknown, path: string, nodes: ReadonlySet<NodeId> | undefined): NodeId[] {
  if (!Array.isArray(value)) throw new SimulationConfigError(path, `expected an array of node ids, got ${JSON.stringify(value)}`);
  value.forEach((n, i) => checkNode(n, `${path}[${i}]`, nodes));
  return value as NodeId[];
}

/**
 * A probability in `[0, 1]`; throws a {@link SimulationConfigError} naming `path` otherwise.
 */
export function checkProbability(value: unknown, path: string): number {
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
    throw new SimulationConfigError(path, `expected a probability in [0, 1], got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * A clock drift: the node's clock runs at `1 + drift` times real speed; must be in `(-0.5, 0.5)`
 * so clocks still move forward at a plausible rate.
 */
export function checkDrift(value: unknown, path: string): number {
  if (typeof value !== "number" || !(value > -0.5 && value < 0.5)) {
    throw new SimulationConfigError(path, `expected a drift in (-0.5, 0.5), got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A clock offset in ms: any finite number. */
export function checkOffset(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new SimulationConfigError(path, `expected a finite offset in ms, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Check one fault. With `nodes`, node ids must be among them.
 * @throws {@link SimulationConfigError} naming `path` and the field.
 */
export function validateFault(value: unknown, path: string, nodes?: ReadonlySet<NodeId>): Fault {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SimulationConfigError(path, `expected a fault object, got ${JSON.stringify(value)}`);
  }
  const f = value as Record<string, unknown>;
  const type = f.type as Fault["type"];
  switch (type) {
    case "partition": {
      if (!Array.isArray(f.groups)) throw new SimulationConfigError(`${path}.groups`, "expected an array of node-id arrays");
      const seen = new Set<string>();
      f.groups.forEach((g, gi) => {
        checkNodeList(g, `${path}.groups[${gi}]`, nodes).forEach((n, ni) => {
          if (seen.has(n)) throw new SimulationConfigError(`${path}.groups[${gi}][${ni}]`, `node ${JSON.stringify(n)} is in two groups`);
          seen.add(n);
        });
      });
      break;
    }
    case "cut":
      checkNodeList(f.from, `${path}.from`, nodes);
      checkNodeList(f.to, `${path}.to`, nodes);
      break;
    case "heal":
      break;
    case "crash":
    case "restart":
    case "pause":
    case "resume":
      checkNode(f.node, `${path}.node`, nodes);
      break;
    case "loss":
    case "duplicate":
      if (f.probability !== null) checkProbability(f.probability, `${path}.probability`);
      break;
    case "latency":
      if (f.latency !== null) validateLatency(f.latency, `${path}.latency`);
      break;
    case "clock":
      checkNode(f.node, `${path}.node`, nodes);
      if (f.offsetMs !== undefined) checkOffset(f.offsetMs, `${path}.offsetMs`);
      if (f.drift !== undefined) checkDrift(f.drift, `${path}.drift`);
      break;
    case "byzantine":
      checkNode(f.node, `${path}.node`, nodes);
      if (!BYZANTINE_BEHAVIOURS.includes(f.behaviour as ByzantineBehaviour)) {
        throw new SimulationConfigError(`${path}.behaviour`, `unknown behaviour ${JSON.stringify(f.behaviour)} (known: ${BYZANTINE_BEHAVIOURS.join(", ")})`);
      }
      break;
    default: {
      const never: never = type;
      throw new SimulationConfigError(`${path}.type`, `unknown fault type ${JSON.stringify(never)} (known: ${FAULT_TYPES.join(", ")})`);
    }
  }
  return value as Fault;
}

/**
 * Check a fault schedule (already parsed JSON, or a JSON string). With `nodes`, every node id must
 * be one of them. Returns the schedule typed.
 * @throws {@link SimulationConfigError} naming the entry, e.g. `faults[3].fault.node: unknown node "n9"`.
 * @example `parseFaultSchedule(fs.readFileSync("replay.json", "utf8"), { nodes: ["n1", "n2", "n3"] })`
 */
export function parseFaultSchedule(
  input: unknown,
  options: { nodes?: readonly NodeId[]; path?: string } = {},
): FaultSchedule {
  const path = options.path ?? "faults";
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch (err) {
      throw new SimulationConfigError(path, `not valid JSON: ${(err as Error).message}`);
    }
  }
  if (!Array.isArray(value)) throw new SimulationConfigError(path, `expected an array of { atMs, fault }, got ${typeof value}`);
  const nodes = options.nodes === undefined ? undefined : new Set(options.nodes);
  value.forEach((entry: unknown, i) => {
    const at = `${path}[${i}]`;
    if (typeof entry !== "object" || entry === null) throw new SimulationConfigError(at, "expected an object { atMs, fault }");
    const e = entry as Record<string, unknown>;
    if (typeof e.atMs !== "number" || !Number.isFinite(e.atMs) || e.atMs < 0) {
      throw new SimulationConfigError(`${at}.atMs`, `expected a finite time in ms >= 0, got ${JSON.stringify(e.atMs)}`);
    }
    validateFault(e.fault, `${at}.fault`, nodes);
  });
  return value as FaultSchedule;
}
