/**
 * The messages PBFT replicas exchange (Castro and Liskov, OSDI '99 / TOCS 2002). Normal-case
 * messages carry an authenticator vector `auth` (one HMAC per receiver); checkpoints, view
 * changes and new views carry an Ed25519 signature `sig`, since they are forwarded as proof. A
 * client's request travels with the client's own signature.
 *
 * @module
 */
import { validateKvCommand } from "@synod/kv";
import type { NodeId } from "@synod/protocol";
import type { SignedRequest } from "./types.js";

/** A prepared-certificate claim in a view change: `(seq, digest, view)` with its batch. */
export interface PreparedClaim {
  seq: number;
  view: number;
  digest: string;
  batch: SignedRequest[];
}

/** A pre-prepared claim in a view change: the replica accepted (or sent) `digest` for `seq` in `view`. */
export interface PrePreparedClaim {
  seq: number;
  view: number;
  digest: string;
}

/** A signed checkpoint: the state after executing `seq` has digest `digest`. */
export interface CheckpointMsg {
  type: "Checkpoint";
  seq: number;
  digest: string;
  replica: NodeId;
  sig: string;
}

/** A view-change message for view `view` (signed by `replica`). */
export interface ViewChangeMsg {
  type: "ViewChange";
  view: number;
  /** The sender's stable checkpoint and its proof (2f + 1 signed checkpoints; none for 0). */
  stable: { seq: number; digest: string; proof: CheckpointMsg[] };
  /** The P set: per sequence number above the checkpoint, the latest prepared certificate. */
  prepared: PreparedClaim[];
  /** The Q set: pre-prepares accepted, the latest view per digest. */
  prePrepared: PrePreparedClaim[];
  replica: NodeId;
  sig: string;
}

/** One decision of a new view: `seq` gets `digest` (an empty batch: the null request). */
export interface NewViewEntry {
  seq: number;
  digest: string;
  batch: SignedRequest[];
}

/** Every message replicas send each other. All are plain JSON. */
export type PbftMessage =
  /** A client request relayed by the replica it reached (signed by the client). */
  /** A client request relayed by a replica; `readOnly`: answer it from local state (see `readOnlyOptimization`). */
  | { type: "Request"; request: SignedRequest; readOnly?: boolean }
  | { type: "PrePrepare"; view: number; seq: number; digest: string; batch: SignedRequest[]; replica: NodeId; auth: Record<NodeId, string> }
  | { type: "Prepare"; view: number; seq: number; digest: string; replica: NodeId; auth: Record<NodeId, string> }
  | { type: "Commit"; view: number; seq: number; digest: string; replica: NodeId; auth: Record<NodeId, string> }
  | CheckpointMsg
  | ViewChangeMsg
  /**
   * The new primary's new view: the view changes it decided from, the checkpoint the view starts
   * from, and a decision for every sequence number above it (backups recompute and compare).
   */
  | { type: "NewView"; view: number; viewChanges: ViewChangeMsg[]; stable: { seq: number; digest: string }; decisions: NewViewEntry[]; replica: NodeId; sig: string }
  /** "Here is where I am": peers answer with what the sender misses (retransmission). */
  | { type: "Status"; view: number; active: boolean; stable: number; executed: number; replica: NodeId; auth: Record<NodeId, string> }
  /** Ask for the state at a stable checkpoint. */
  | { type: "StateRequest"; seq: number; replica: NodeId }
  /** The state at a stable checkpoint, with its proof (checked against the digest, so it needs no MAC). */
  | { type: "StateReply"; seq: number; digest: string; proof: CheckpointMsg[]; snapshot: unknown; history?: string[] };

/** The `type` tags of {@link PbftMessage}. */
export type PbftMessageType = PbftMessage["type"];

/** The part of a message its authenticator covers (everything but `auth` / `sig`). */
export function bodyOf<M extends { auth?: unknown; sig?: unknown }>(m: M): Omit<M, "auth" | "sig"> {
  const { auth: _a, sig: _s, ...body } = m;
  return body;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function isNat(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}

function isHex64(x: unknown): x is string {
  return typeof x === "string" && /^[0-9a-f]{64}$/.test(x);
}

/** `null` when `r` is a well-formed signed request, else the problem. */
export function checkRequest(r: unknown): string | null {
  if (!isObject(r)) return "request is not an object";
  if (typeof r.clientId !== "string") return "request 'clientId' must be a string";
  if (!isNat(r.seq) || r.seq < 1) return "request 'seq' must be a positive integer";
  if (typeof r.sig !== "string") return "request 'sig' must be a string";
  const bad = validateKvCommand(r.op);
  return bad === null ? null : `request 'op': ${bad}`;
}

function checkBatch(b: unknown, field: string): string | null {
  if (!Array.isArray(b)) return `'${field}' must be an array`;
  for (let k = 0; k < b.length; k++) {
    const bad = checkRequest(b[k]);
    if (bad !== null) return `${field}[${k}]: ${bad}`;
  }
  return null;
}

function checkAuth(a: unknown): string | null {
  if (!isObject(a)) return "'auth' must be an object";
  for (const v of Object.values(a)) if (typeof v !== "string") return "'auth' entries must be strings";
  return null;
}

/** `null` when `c` is a well-formed checkpoint message, else the problem. */
export function checkCheckpoint(c: unknown): string | null {
  if (!isObject(c) || c.type !== "Checkpoint") return "not a Checkpoint";
  if (!isNat(c.seq)) return "Checkpoint 'seq' must be a non-negative integer";
  if (!isHex64(c.digest)) return "Checkpoint 'digest' must be a sha256 hex digest";
  if (typeof c.replica !== "string" || typeof c.sig !== "string") return "Checkpoint needs 'replica' and 'sig' strings";
  return null;
}

function checkStable(s: unknown, withProof: boolean): string | null {
  if (!isObject(s)) return "'stable' must be an object";
  if (!isNat(s.seq) || !isHex64(s.digest)) return "'stable' needs a 'seq' and a sha256 'digest'";
  if (!withProof) return null;
  if (!Array.isArray(s.proof)) return "'stable.proof' must be an array";
  for (const c of s.proof) {
    const bad = checkCheckpoint(c);
    if (bad !== null) return `stable.proof: ${bad}`;
  }
  return null;
}

/** `null` when `v` is a well-formed view-change message, else the problem. */
export function checkViewChange(v: unknown): string | null {
  if (!isObject(v) || v.type !== "ViewChange") return "not a ViewChange";
  if (!isNat(v.view) || typeof v.replica !== "string" || typeof v.sig !== "string") return "ViewChange needs 'view', 'replica' and 'sig'";
  const bad = checkStable(v.stable, true);
  if (bad !== null) return `ViewChange ${bad}`;
  if (!Array.isArray(v.prepared) || !Array.isArray(v.prePrepared)) return "ViewChange needs 'prepared' and 'prePrepared' arrays";
  for (const p of v.prepared) {
    if (!isObject(p) || !isNat(p.seq) || !isNat(p.view) || !isHex64(p.digest)) return "ViewChange 'prepared' entries need seq, view, digest";
    const b = checkBatch(p.batch, "prepared.batch");
    if (b !== null) return `ViewChange ${b}`;
  }
  for (const q of v.prePrepared) {
    if (!isObject(q) || !isNat(q.seq) || !isNat(q.view) || !isHex64(q.digest)) return "ViewChange 'prePrepared' entries need seq, view, digest";
  }
  return null;
}

/**
 * `null` when `m` is a well-formed {@link PbftMessage}, else the problem in words (the wire check
 * of `synod serve`, and the first thing a replica does with a message).
 */
export function checkPbftMessage(m: unknown): string | null {
  if (!isObject(m)) return "message is not an object";
  switch (m.type) {
    case "Request":
      if (m.readOnly !== undefined && typeof m.readOnly !== "boolean") return "Request 'readOnly' must be a boolean";
      return checkRequest(m.request);
    case "PrePrepare": {
      if (!isNat(m.view) || !isNat(m.seq) || !isHex64(m.digest) || typeof m.replica !== "string") return "PrePrepare needs view, seq, digest, replica";
      return checkBatch(m.batch, "batch") ?? checkAuth(m.auth);
    }
    case "Prepare":
    case "Commit":
      if (!isNat(m.view) || !isNat(m.seq) || !isHex64(m.digest) || typeof m.replica !== "string") return `${m.type} needs view, seq, digest, replica`;
      return checkAuth(m.auth);
    case "Checkpoint":
      return checkCheckpoint(m);
    case "ViewChange":
      return checkViewChange(m);
    case "NewView": {
      if (!isNat(m.view) || typeof m.replica !== "string" || typeof m.sig !== "string") return "NewView needs 'view', 'replica' and 'sig'";
      if (!Array.isArray(m.viewChanges)) return "NewView 'viewChanges' must be an array";
      for (const v of m.viewChanges) {
        const bad = checkViewChange(v);
        if (bad !== null) return `NewView: ${bad}`;
      }
      const s = checkStable(m.stable, false);
      if (s !== null) return `NewView ${s}`;
      if (!Array.isArray(m.decisions)) return "NewView 'decisions' must be an array";
      for (const d of m.decisions) {
        if (!isObject(d) || !isNat(d.seq) || !isHex64(d.digest)) return "NewView decisions need seq and digest";
        const b = checkBatch(d.batch, "decisions.batch");
        if (b !== null) return `NewView ${b}`;
      }
      return null;
    }
    case "Status":
      if (!isNat(m.view) || typeof m.active !== "boolean" || !isNat(m.stable) || !isNat(m.executed) || typeof m.replica !== "string") {
        return "Status needs view, active, stable, executed, replica";
      }
      return checkAuth(m.auth);
    case "StateRequest":
      return isNat(m.seq) && typeof m.replica === "string" ? null : "StateRequest needs seq and replica";
    case "StateReply": {
      if (!isNat(m.seq) || !isHex64(m.digest) || !Array.isArray(m.proof)) return "StateReply needs seq, digest, proof";
      for (const c of m.proof) {
        const bad = checkCheckpoint(c);
        if (bad !== null) return `StateReply proof: ${bad}`;
      }
      return null;
    }
    default:
      return `unknown message type ${JSON.stringify(m.type)}`;
  }
}
