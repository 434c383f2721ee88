/**
 * A seeded "nemesis": generates random fault schedules (Jepsen's term for the fault injector).
 * The output is a plain {@link FaultSchedule}, so it can be stored in a replay file, edited, or
 * shrunk by a property-based tester (any list of faults is valid; see faults.ts).
 *
 * Kinds: `partition` (two random groups), `cut` (one way), `bridge` (Jepsen's: two halves that
 * reach each other only through one bridge node, a non-transitive network), `crash`/`restart`,
 * `pause`/`resume`, `loss`, `duplicate`, `latency`, `clock`, and `byzantine` (a node of
 * `byzantine.nodes` takes up a behaviour). Network faults alternate with heals.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";
import { SimulationConfigError } from "./errors.js";
import type { Fault, FaultSchedule } from "./faults.js";
import { BYZANTINE_BEHAVIOURS, type ByzantineBehaviour } from "./byzantine.js";
import { SeededRng } from "@synod/protocol";

/** The kinds of trouble the nemesis can make. */
export type NemesisKind = "partition" | "cut" | "bridge" | "crash" | "pause" | "loss" | "duplicate" | "latency" | "clock" | "byzantine";

/** Every benign nemesis kind: the default (`byzantine` only where a protocol claims to tolerate it). */
export const NEMESIS_KINDS: readonly NemesisKind[] = ["partition", "cut", "bridge", "crash", "pause", "loss", "duplicate", "latency", "clock"];

/** Every kind, `byzantine` included. */
export const ALL_NEMESIS_KINDS: readonly NemesisKind[] = [...NEMESIS_KINDS, "byzantine"];

/** Options of {@link generateNemesis}. */
export interface NemesisOptions {
  /** Seed of the schedule (independent of the simulation's seed). */
  seed: number;
  /** The nodes faults may target. */
  nodes: readonly NodeId[];
  /** Faults strike in `[startMs, endMs)`. Default 0. */
  startMs?: number;
  /** End of the faulty period (and time of the final heal, with `healAtEnd`). */
  endMs: number;
  /** Gap between consecutive faults, uniform in `[minMs, maxMs]`. Default 100–1000 ms. */
  intervalMs?: { minMs: number; maxMs: number };
  /** Kinds to draw from, uniformly. Default: all. */
  kinds?: readonly NemesisKind[];
  /** At most this many nodes crashed or paused at once. Default: a minority, `floor((n - 1) / 2)`. */
  maxDown?: number;
  /** Upper bound of a drawn loss probability. Default 0.3. */
  maxLossProbability?: number;
  /** Upper bound of a drawn duplication probability. Default 0.2. */
  maxDuplicateProbability?: number;
  /** Upper bound of a drawn latency (a `uniform` distribution up to it). Default 100 ms. */
  maxLatencyMs?: number;
  /** Bound of a drawn clock offset, ±. Default 200 ms. */
  maxClockOffsetMs?: number;
  /** Bound of a drawn clock drift, ±. Default 0.01 (1%). */
  maxClockDrift?: number;
  /**
   * For kind `byzantine`: the faulty nodes (default: the first ⌊(n − 1) / 3⌋) and the behaviours
   * drawn (default: those that need no protocol hook: silent, replay, delay-some).
   */
  byzantine?: { nodes?: readonly NodeId[]; behaviours?: readonly ByzantineBehaviour[] };
  /**
   * At `endMs`, undo everything (heal, restart crashed nodes, resume paused ones, restore loss,
   * duplication and latency) so the system can show it recovers. Clock skew stays. Default true.
   */
  healAtEnd?: boolean;
}

/**
 * Generate a random fault schedule. Same options, same schedule.
 * @example `generateNemesis({ seed: 1, nodes: ["n1", "n2", "n3"], endMs: 5000, kinds: ["partition", "crash"] })`
 */
export function generateNemesis(options: NemesisOptions): FaultSchedule {
  const nodes = options.nodes.slice();
  if (nodes.length === 0) throw new SimulationConfigError("nemesis.nodes", "expected at least one node");
  const kinds = options.kinds ?? NEMESIS_KINDS;
  if (kinds.length === 0) throw new SimulationConfigError("nemesis.kinds", "expected at least one kind");
  kinds.forEach((k, i) => {
    if (!ALL_NEMESIS_KINDS.includes(k)) throw new SimulationConfigError(`nemesis.kinds[${i}]`, `unknown kind ${JSON.stringify(k)} (known: ${ALL_NEMESIS_KINDS.join(", ")})`);
  });
  // A finite end and a gap of at least 1 ms bound the schedule's length.
  if (typeof options.endMs !== "number" || !Number.isFinite(options.endMs) || options.endMs < 0) {
    throw new SimulationConfigError("nemesis.endMs", `expected a finite time in ms >= 0, got ${JSON.stringify(options.endMs)}`);
  }
  const interval = options.intervalMs ?? { minMs: 100, maxMs: 1000 };
  if (!(interval.minMs >= 1 && interval.maxMs >= interval.minMs)) {
    throw new SimulationConfigError("nemesis.intervalMs", `expected 1 <= minMs <= maxMs, got ${JSON.stringify(interval)}`);
  }
  const rng = SeededRng.derive(options.seed, "nemesis");
  const maxDown = options.maxDown ?? Math.floor((nodes.length - 1) / 2);
  const state = { crashed: [] as NodeId[], paused: [] as NodeId[], partitioned: false };
  const out: FaultSchedule = [];
  let t = options.startMs ?? 0;
  for (;;) {
    t += rng.nextInt(Math.round(interval.minMs), Math.round(interval.maxMs));
    if (t >= options.endMs) break;
    for (const fault of drawFaults(rng, rng.pick(kinds), nodes, state, maxDown, options)) out.push({ atMs: t, fault });
  }
  if (options.healAtEnd ?? true) {
    const at = options.endMs;
    out.push({ atMs: at, fault: { type: "heal" } });
    for (const node of state.crashed) out.push({ atMs: at, fault: { type: "restart", node } });
    for (const node of state.paused) out.push({ atMs: at, fault: { type: "resume", node } });
    if (kinds.includes("loss")) out.push({ atMs: at, fault: { type: "loss", probability: null } });
    if (kinds.includes("duplicate")) out.push({ atMs: at, fault: { type: "duplicate", probability: null } });
    if (kinds.includes("latency")) out.push({ atMs: at, fault: { type: "latency", latency: null } });
  }
  return out;
}

interface NemesisState {
  crashed: NodeId[];
  paused: NodeId[];
  partitioned: boolean;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function drawFaults(rng: SeededRng, kind: NemesisKind, nodes: NodeId[], s: NemesisState, maxDown: number, o: NemesisOptions): Fault[] {
  if (kind === "bridge") return bridge(rng, nodes, s);
  const fault = drawFault(rng, kind, nodes, s, maxDown, o);
  return fault === null ? [] : [fault];
}

/** Two halves that reach each other only through a bridge node: cut both ways between the halves. */
function bridge(rng: SeededRng, nodes: NodeId[], s: NemesisState): Fault[] {
  if (nodes.length < 3) return [];
  if (s.partitioned && rng.chance(0.5)) {
    s.partitioned = false;
    return [{ type: "heal" }];
  }
  s.partitioned = true;
  const rest = shuffle(rng, nodes).slice(1); // the first node is the bridge: nothing cuts it off
  const half = Math.floor(rest.length / 2);
  const left = rest.slice(0, half);
  const right = rest.slice(half);
  // A fresh network first: a bridge replaces whatever partition was in force.
  return [{ type: "heal" }, { type: "cut", from: left, to: right }, { type: "cut", from: right, to: left }];
}

function drawFault(rng: SeededRng, kind: Exclude<NemesisKind, "bridge">, nodes: NodeId[], s: NemesisState, maxDown: number, o: NemesisOptions): Fault | null {
  switch (kind) {
    case "partition":
    case "cut": {
      if (nodes.length < 2) return null;
      if (s.partitioned && rng.chance(0.5)) {
        s.partitioned = false;
        return { type: "heal" };
      }
      s.partitioned = true;
      const shuffled = shuffle(rng, nodes);
      const cut = rng.nextInt(1, nodes.length - 1);
      if (kind === "cut") return { type: "cut", from: shuffled.slice(0, cut), to: shuffled.slice(cut) };
      return { type: "partition", groups: [shuffled.slice(0, cut), shuffled.slice(cut)] };
    }
    case "crash":
      return upDown(rng, nodes, s, maxDown, s.crashed, "crash", "restart");
    case "pause":
      return upDown(rng, nodes, s, maxDown, s.paused, "pause", "resume");
    case "loss":
      return { type: "loss", probability: rng.chance(0.3) ? null : round3(rng.nextFloat() * (o.maxLossProbability ?? 0.3)) };
    case "duplicate":
      return { type: "duplicate", probability: rng.chance(0.3) ? null : round3(rng.nextFloat() * (o.maxDuplicateProbability ?? 0.2)) };
    case "latency": {
      if (rng.chance(0.3)) return { type: "latency", latency: null };
      const max = Math.max(1, rng.nextInt(1, Math.round(o.maxLatencyMs ?? 100)));
      return { type: "latency", latency: { type: "uniform", minMs: rng.nextInt(0, max), maxMs: max } };
    }
    case "byzantine": {
      const faulty = o.byzantine?.nodes ?? nodes.slice(0, Math.floor((nodes.length - 1) / 3));
      const behaviours = o.byzantine?.behaviours ?? (["silent", "replay", "delay-some"] as const);
      if (faulty.length === 0 || behaviours.length === 0) return null;
      behaviours.forEach((b, i) => {
        if (!BYZANTINE_BEHAVIOURS.includes(b)) throw new SimulationConfigError(`nemesis.byzantine.behaviours[${i}]`, `unknown behaviour ${JSON.stringify(b)}`);
      });
      return { type: "byzantine", node: rng.pick(faulty), behaviour: rng.pick(behaviours) };
    }
    case "clock": {
      const maxOffset = o.maxClockOffsetMs ?? 200;
      const maxDrift = o.maxClockDrift ?? 0.01;
      return {
        type: "clock",
        node: rng.pick(nodes),
        offsetMs: round3((rng.nextFloat() * 2 - 1) * maxOffset),
        drift: Math.round((rng.nextFloat() * 2 - 1) * maxDrift * 1e6) / 1e6,
      };
    }
    default: {
      const never: never = kind;
      throw new SimulationConfigError("nemesis.kinds", `unknown kind ${JSON.stringify(never)}`);
    }
  }
}

/** Take a node down (crash/pause) or bring one back, keeping at most `maxDown` down at once. */
function upDown(
  rng: SeededRng,
  nodes: NodeId[],
  s: NemesisState,
  maxDown: number,
  list: NodeId[],
  down: "crash" | "pause",
  up: "restart" | "resume",
): Fault | null {
  const downNow = s.crashed.length + s.paused.length;
  const canDown = downNow < maxDown;
  if (list.length > 0 && (!canDown || rng.chance(0.5))) {
    const node = list.splice(rng.nextInt(0, list.length - 1), 1)[0] as NodeId;
    return { type: up, node };
  }
  if (!canDown) return null;
  const candidates = nodes.filter((n) => !s.crashed.includes(n) && !s.paused.includes(n));
  if (candidates.length === 0) return null;
  const node = rng.pick(candidates);
  list.push(node);
  return { type: down, node };
}

function shuffle<T>(rng: SeededRng, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.nextInt(0, i);
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}
