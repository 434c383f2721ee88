/**
 * How conformance sees `specs/2pc/TwoPhase.tla`: the cluster the models describe, loading a
 * model, and the abstraction from node state and messages to the spec's variables.
 *
 * The spec decides one transaction; conformance runs make the TM start exactly one, which gets
 * the id {@link SPEC_TXN} (the first of incarnation 0). Everything about other transactions is
 * outside the spec's view.
 *
 * @module
 */
import { loadSpec, specDirNear, type LoadedSpec, type State, type Value, type WireMessage } from "@synod/conformance";
import type { NodeId } from "@synod/protocol";
import type { TwoPcMessage } from "../messages.js";
import type { TmView } from "../tm.js";

/** The TM of every conformance cluster. */
export const TM = "n1";
/** The RMs (the spec's `RM` model values carry the same names). */
export const RMS = ["n2", "n3", "n4"];
/** Every node. */
export const NODES = [TM, ...RMS];
/** The transaction the spec decides: the first the TM starts in its first incarnation. */
export const SPEC_TXN = "0.1";
/** The spec folder, relative to the checkout. */
export const SPEC_DIR = "specs/2pc";
/** TLC's distinct states of `MCTwoPhase.cfg` (3 RMs), the coverage model. */
export const COVERAGE_DISTINCT = 446;

/** Load the model of 3 RMs; `forgetDecision` loads the broken model. */
export function loadTwoPhase(forgetDecision = false): Promise<LoadedSpec> {
  const cfg = `CONSTANTS RM = {${RMS.join(", ")}} ForgetDecision = ${forgetDecision ? "TRUE" : "FALSE"}\nINIT Init\nNEXT Next\n`;
  return loadSpec({ dir: specDirNear(import.meta.url, SPEC_DIR), module: "MCTwoPhase.tla", cfg, servers: NODES });
}

/** One node's part of the spec state. */
export type NodeView = { kind: "tm"; up: boolean; view: TmView } | { kind: "rm"; id: NodeId; state: "working" | "prepared" | "committed" | "aborted" };

/** The spec message a wire message of the spec's transaction stands for (`null`: none, e.g. a no vote). */
export function specMessage(m: WireMessage<TwoPcMessage>): { type: string; rm?: NodeId } | null {
  if (m.message.txn !== SPEC_TXN) return null;
  switch (m.message.type) {
    case "Prepare":
    case "Commit":
    case "Abort":
      // Broadcasts in the spec: no recipient.
      return { type: m.message.type };
    case "Prepared":
      return { type: "Prepared", rm: m.from };
    case "No":
      // The spec's TM may abort at any moment before deciding; a no vote only makes it sooner.
      return null;
  }
}

/** The spec state from every node's view and the messages (a set: every message ever sent). */
export function specState(spec: LoadedSpec, views: ReadonlyMap<NodeId, unknown>, messages: readonly WireMessage<TwoPcMessage>[]): State {
  const { values } = spec.model;
  const tm = views.get(TM) as Extract<NodeView, { kind: "tm" }> | undefined;
  if (tm === undefined) throw new Error(`no view of the TM ${TM}`);
  const msgs: Value[] = [];
  for (const m of messages) {
    const s = specMessage(m);
    if (s !== null) msgs.push(values.fromJS(s.rm === undefined ? { type: s.type } : { type: s.type, rm: spec.mv(s.rm) }));
  }
  const rmState = new Map<Value, string>();
  for (const r of RMS) {
    const v = views.get(r) as Extract<NodeView, { kind: "rm" }> | undefined;
    rmState.set(spec.mv(r), v?.state ?? "working");
  }
  const byName: Record<string, Value> = {
    rmState: values.fromJS(rmState),
    tmState: values.fromJS(tm.up ? tm.view.state : "init"),
    tmLog: values.fromJS(tm.view.logged ? "commit" : "none"),
    tmPrepared: values.fromJS(new Set(tm.up ? tm.view.votes.map((r) => spec.mv(r)) : [])),
    tmUp: values.fromJS(tm.up),
    msgs: values.fromJS(new Set(msgs)),
  };
  return spec.model.variables.map((v) => {
    const x = byName[v];
    if (x === undefined) throw new Error(`TwoPhase.tla has a variable ${v} the 2pc abstraction does not know`);
    return x;
  });
}
