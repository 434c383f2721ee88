/**
 * What Dynamo nodes say to each other and what clients ask of them, with wire validation: a
 * message from a peer is checked before it is stepped, a client command before it is served.
 *
 * @module
 */
import type { Json, NodeId } from "@synod/protocol";
import type { Dot, Sibling, VersionVector } from "./version.js";

/** Messages between nodes. `req` ties a reply to the coordinator's request (`null`: no reply wanted). */
export type DynamoMessage =
  /** Merge `siblings` into the key (as a hint for `hint` when the receiver stands in for it). */
  | { type: "Replicate"; req: string | null; key: string; siblings: Sibling[]; hint: NodeId | null }
  | { type: "ReplicateAck"; req: string; key: string }
  /** Send back what you hold of the key (hints included). */
  | { type: "Read"; req: string; key: string }
  | { type: "ReadReply"; req: string; key: string; siblings: Sibling[] }
  /** Hinted handoff: the owner is back; here is what was written while it was away. */
  | { type: "Handoff"; key: string; siblings: Sibling[] }
  | { type: "HandoffAck"; key: string; digest: string }
  /** Failure detection. */
  | { type: "Ping" }
  | { type: "Pong" }
  /** Anti-entropy: my hashes of these tree nodes at `level` (compare, descend where they differ). */
  | { type: "TreeLevel"; level: number; nodes: [index: number, hash: number][] }
  /** Anti-entropy: my entries in these leaves (`answer`: send me yours back). */
  | { type: "TreeLeaves"; leaves: number[]; entries: [key: string, siblings: Sibling[]][]; answer: boolean };

/** A quorum for one request: any of N, R, W left out takes the node's default. */
export interface Quorum {
  n?: number;
  r?: number;
  w?: number;
}

/** What a client asks. `note` is the client's own annotation: the store never reads it. */
export type DynamoCommand =
  | { op: "get"; key: string; quorum?: Quorum; note?: Json }
  /** Write `value` over what `context` (from a get; `{}`: nothing) says the client has seen. */
  | { op: "put"; key: string; value: string; context: VersionVector; quorum?: Quorum; note?: Json };

/** The quorum a request ran with: its N, R and W, whether sloppy, and the read repair in force. */
export interface QuorumUsed {
  n: number;
  r: number;
  w: number;
  sloppy: boolean;
  readRepair: "async" | "blocking" | "off";
}

/** What the store answers (with the quorum the request ran with, which judges need). */
export type DynamoResult =
  /** Every sibling (concurrent version) of the key, and the context to write over them with. */
  | { op: "get"; key: string; siblings: { value: string; dot: string }[]; context: VersionVector; quorum: QuorumUsed }
  /** The write's dot. */
  | { op: "put"; key: string; dot: string; quorum: QuorumUsed };

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 1;

/** `null` if `vv` is a version vector, else the problem. */
export function checkVV(vv: unknown, where: string): string | null {
  if (!isObj(vv)) return `${where}: expected a version vector object`;
  for (const [k, v] of Object.entries(vv)) if (!isCount(v)) return `${where}.${k}: expected a positive integer counter, got ${JSON.stringify(v)}`;
  return null;
}

function checkDot(d: unknown, where: string): string | null {
  if (!isObj(d) || typeof d.node !== "string" || d.node === "" || !isCount(d.counter)) return `${where}: expected a dot { node, counter }`;
  return null;
}

/** `null` if `s` is a list of siblings, else the problem. */
export function checkSiblings(s: unknown, where: string): string | null {
  if (!Array.isArray(s)) return `${where}: expected a list of siblings`;
  for (let k = 0; k < s.length; k++) {
    const x = s[k] as unknown;
    if (!isObj(x)) return `${where}[${k}]: expected a sibling object`;
    const p = checkDot(x.dot, `${where}[${k}].dot`) ?? checkVV(x.context, `${where}[${k}].context`);
    if (p !== null) return p;
    if (typeof x.value !== "string") return `${where}[${k}].value: expected a string`;
    if (x.req !== undefined && typeof x.req !== "string") return `${where}[${k}].req: expected a string`;
  }
  return null;
}

/** `null` if `m` is a well-formed peer message, else the problem (for the TCP host's wire check). */
export function checkMessage(m: unknown): string | null {
  if (!isObj(m) || typeof m.type !== "string") return "message: expected an object with a type";
  const str = (x: unknown, f: string): string | null => (typeof x === "string" ? null : `${m.type}.${f}: expected a string`);
  switch (m.type) {
    case "Replicate":
      return (m.req === null ? null : str(m.req, "req")) ?? str(m.key, "key") ?? checkSiblings(m.siblings, "Replicate.siblings") ?? (m.hint === null ? null : str(m.hint, "hint"));
    case "ReplicateAck":
      return str(m.req, "req") ?? str(m.key, "key");
    case "Read":
      return str(m.req, "req") ?? str(m.key, "key");
    case "ReadReply":
      return str(m.req, "req") ?? str(m.key, "key") ?? checkSiblings(m.siblings, "ReadReply.siblings");
    case "Handoff":
      return str(m.key, "key") ?? checkSiblings(m.siblings, "Handoff.siblings");
    case "HandoffAck":
      return str(m.key, "key") ?? str(m.digest, "digest");
    case "Ping":
    case "Pong":
      return null;
    case "TreeLevel":
      if (!Number.isSafeInteger(m.level) || (m.level as number) < 0) return "TreeLevel.level: expected a level";
      if (!Array.isArray(m.nodes) || !m.nodes.every((p) => Array.isArray(p) && p.length === 2 && Number.isSafeInteger(p[0]) && Number.isSafeInteger(p[1]))) return "TreeLevel.nodes: expected [index, hash] pairs";
      return null;
    case "TreeLeaves":
      if (!Array.isArray(m.leaves) || !m.leaves.every((x) => Number.isSafeInteger(x))) return "TreeLeaves.leaves: expected leaf indexes";
      if (typeof m.answer !== "boolean") return "TreeLeaves.answer: expected a boolean";
      if (!Array.isArray(m.entries)) return "TreeLeaves.entries: expected [key, siblings] pairs";
      for (const e of m.entries as unknown[]) {
        if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== "string") return "TreeLeaves.entries: expected [key, siblings] pairs";
        const p = checkSiblings(e[1], `TreeLeaves.entries[${JSON.stringify(e[0])}]`);
        if (p !== null) return p;
      }
      return null;
    default:
      return `message: unknown type ${JSON.stringify(m.type)}`;
  }
}

function checkQuorum(q: unknown): string | null {
  if (q === undefined) return null;
  if (!isObj(q)) return "quorum: expected { n?, r?, w? }";
  for (const k of Object.keys(q)) {
    if (k !== "n" && k !== "r" && k !== "w") return `quorum.${k}: unknown (expected n, r or w)`;
    if (!isCount(q[k])) return `quorum.${k}: expected a positive integer, got ${JSON.stringify(q[k])}`;
  }
  return null;
}

/** `null` if `c` is a well-formed client command, else the problem. */
export function checkCommand(c: unknown): string | null {
  if (!isObj(c)) return "command: expected an object";
  const known = c.op === "get" ? ["op", "key", "quorum", "note"] : c.op === "put" ? ["op", "key", "value", "context", "quorum", "note"] : null;
  if (known === null) return `command.op: expected get or put, got ${JSON.stringify(c.op)}`;
  for (const k of Object.keys(c)) if (!known.includes(k)) return `command.${k}: unknown field of a ${c.op}`;
  if (typeof c.key !== "string" || c.key === "") return "command.key: expected a non-empty string";
  if (c.op === "put") {
    if (typeof c.value !== "string") return "command.value: expected a string";
    const p = checkVV(c.context, "command.context");
    if (p !== null) return p;
  }
  return checkQuorum(c.quorum);
}

/** Re-exported for callers that build contexts and dots. */
export type { Dot, Sibling, VersionVector };
