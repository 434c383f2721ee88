/**
 * What two-phase commit puts on the wire, what clients ask, and what they are answered. The
 * message names are the spec's (`specs/2pc/TwoPhase.tla`): a `Prepared` vote sent again by a
 * prepared RM is also its inquiry about the decision.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";

/** A transaction id: `<TM incarnation>.<number within the incarnation>`, e.g. `"0.1"`. */
export type TxnId = string;

/** A message between the TM and an RM. */
export type TwoPcMessage =
  /** TM → RM: prepare your part of `txn`. `refuse`: the RM cannot do its part (it votes no). */
  | { type: "Prepare"; txn: TxnId; refuse: boolean }
  /** RM → TM: a yes vote, written down before it is sent; sent again, it asks for the decision. */
  | { type: "Prepared"; txn: TxnId }
  /** RM → TM: a no vote (the RM has aborted unilaterally). */
  | { type: "No"; txn: TxnId }
  /** TM → RM: the decision is commit. */
  | { type: "Commit"; txn: TxnId }
  /** TM → RM: the decision is abort. */
  | { type: "Abort"; txn: TxnId };

/** What a client asks. */
export type TwoPcCommand =
  /** Run a transaction over every RM (to the TM). The RMs in `refuse` cannot do their part. */
  | { op: "txn"; refuse: NodeId[] }
  /** Abort `txn` at this RM before it votes (the application gave up its part: a deadlock victim, a timeout). */
  | { op: "abort"; txn: TxnId }
  /** Read node `at`'s decision records (any node redirects to `at`). */
  | { op: "decisions"; at: NodeId };

/** An RM's record of one transaction, as `decisions` reports it. */
export interface RmRecord {
  state: "prepared" | "committed" | "aborted";
  /** Its vote: `yes`, `no`, or `none` when it aborted (told by the TM) before voting. */
  vote: "yes" | "no" | "none";
}

/** What a client is answered. */
export type TwoPcResult =
  /** A transaction's outcome. */
  | { txn: TxnId; outcome: "committed" | "aborted" }
  /** A local abort was recorded (or the RM had already decided: `state`). */
  | { txn: TxnId; state: RmRecord["state"] }
  /** A node's decision records: an RM's by transaction; the TM's outcomes it knows. */
  | { node: NodeId; role: "participant"; decisions: Record<TxnId, RmRecord> }
  | { node: NodeId; role: "coordinator"; decisions: Record<TxnId, "preparing" | "committed" | "aborted"> };

const TYPES = new Set(["Prepare", "Prepared", "No", "Commit", "Abort"]);

/**
 * Wire validation: `null` if `m` is a well-formed {@link TwoPcMessage}, else what is wrong with it.
 */
export function checkMessage(m: unknown): string | null {
  if (typeof m !== "object" || m === null) return "expected an object";
  const r = m as Record<string, unknown>;
  if (typeof r.type !== "string" || !TYPES.has(r.type)) return `unknown message type ${JSON.stringify(r.type)}`;
  if (typeof r.txn !== "string" || !/^\d+\.\d+$/.test(r.txn)) return `${r.type}: txn must be "<incarnation>.<n>", got ${JSON.stringify(r.txn)}`;
  if (r.type === "Prepare" && typeof r.refuse !== "boolean") return "Prepare: refuse must be a boolean";
  return null;
}

/** `null` if `c` is a well-formed {@link TwoPcCommand}, else what is wrong with it. */
export function checkCommand(c: unknown): string | null {
  if (typeof c !== "object" || c === null) return "expected an object";
  const r = c as Record<string, unknown>;
  switch (r.op) {
    case "txn":
      return Array.isArray(r.refuse) && r.refuse.every((x) => typeof x === "string") ? null : "txn: refuse must be a list of node ids";
    case "abort":
      return typeof r.txn === "string" ? null : "abort: txn must be a transaction id";
    case "decisions":
      return typeof r.at === "string" ? null : "decisions: at must be a node id";
    default:
      return `unknown op ${JSON.stringify(r.op)} (expected txn, abort or decisions)`;
  }
}
