/**
 * Optional interfaces a node offers to conformance checks only, kept apart from the protocol
 * contract the way etcd/raft keeps its trace hooks in `state_trace.go`. A production host never
 * calls them; a node that does not implement them can still be simulated, served and judged by
 * its histories, but not validated step by step against its spec.
 *
 * @module
 */
import type { NodeId } from "./node.js";

/**
 * One step of a node named like the spec action it corresponds to, e.g.
 * `{ action: "HandleAppendEntriesRequest", params: { i: "n2", j: "n1" } }`. Parameters are the
 * spec's parameter names; their values are node ids, client values or numbers as the
 * implementation sees them (the protocol's adapter maps them to spec values).
 */
export interface ActionLabel {
  /** The spec operator's name. */
  action: string;
  /** Parameter values by the spec's parameter names. */
  params: Record<string, string | number>;
}

/**
 * A node that reports, for every step, the spec actions it took (trace validation checks each
 * against the spec's next-state relation).
 */
export interface Traced {
  /** Start (or stop) recording actions. */
  recordActions(on: boolean): void;
  /** The actions recorded since the last call, in order (empty when not recording). */
  takeActions(): ActionLabel[];
}

/**
 * A node that can be told to take one spec action it would otherwise take only as part of a
 * larger step, or at a time of its own choosing (a candidate sending one vote request, a leader
 * advancing its commit index). Trace validation's driver uses it to move a node at the spec's
 * granularity under the simulator.
 */
export interface SpecStepping {
  /**
   * Take `action` with `params` (the node's own id is implied) if the spec enables it in the
   * node's current state. Returns whether it did; never throws for an action that is not enabled.
   */
  takeAction(action: string, params: Record<string, string | number>): boolean;
}

/**
 * The recording half of {@link Traced}, written once: a node keeps one, calls
 * {@link ActionRecorder.note} (or passes {@link ActionRecorder.push} to its core as a callback) at
 * each spec action, and forwards `recordActions`/`takeActions` to it. Recording is off until
 * switched on, so a production node pays one null check per action.
 */
export class ActionRecorder implements Traced {
  private log: ActionLabel[] | null = null;

  /** Record `label` if recording is on. An arrow so a node can hand it to its core as a callback. */
  readonly push = (label: ActionLabel): void => {
    this.log?.push(label);
  };

  /** Record spec action `action` with `params` (the spec's parameter names) if recording is on. */
  note(action: string, params: Record<string, string | number> = {}): void {
    this.log?.push({ action, params });
  }

  /** Start (or stop) recording; switching on again keeps what is not yet taken. */
  recordActions(on: boolean): void {
    this.log = on ? (this.log ?? []) : null;
  }

  /** The actions recorded since the last call, in order (empty when not recording). */
  takeActions(): ActionLabel[] {
    const taken = this.log ?? [];
    if (this.log !== null) this.log = [];
    return taken;
  }
}

/** True when `node` implements {@link Traced}. */
export function isTraced(node: unknown): node is Traced {
  const n = node as Partial<Traced> | null;
  return typeof n?.recordActions === "function" && typeof n.takeActions === "function";
}

/** True when `node` implements {@link SpecStepping}. */
export function isSpecStepping(node: unknown): node is SpecStepping {
  return typeof (node as Partial<SpecStepping> | null)?.takeAction === "function";
}

/** `Name(p1=v1, p2=v2)`, the way traces print a label. */
export function formatActionLabel(label: ActionLabel): string {
  return `${label.action}(${Object.entries(label.params).map(([k, v]) => `${k}=${v}`).join(", ")})`;
}

/** The node a label is about (`i`, by the spec convention), if it names one. */
export function labelNode(label: ActionLabel): NodeId | undefined {
  const i = label.params.i;
  return typeof i === "string" ? i : undefined;
}
