/**
 * Shape checks for data that crosses a trust boundary (the wire, durable storage). Each returns
 * `null` when the value is well formed, otherwise a sentence naming the problem.
 *
 * @module
 */
import type { ClientRequest } from "@synod/protocol";
import { validateKvCommand } from "@synod/kv";
import type { RaftCommand } from "./types.js";

function isNat(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Check a {@link Membership}: two sorted, disjoint lists of node ids. */
export function validateMembership(m: unknown): string | null {
  if (!isObject(m)) return "membership is not an object";
  for (const f of ["voters", "learners"] as const) {
    const list = m[f];
    if (!Array.isArray(list) || !list.every((x) => typeof x === "string" && x.length > 0)) {
      return `membership '${f}' must be an array of non-empty strings`;
    }
    for (let k = 1; k < list.length; k++) {
      if ((list[k - 1] as string) >= (list[k] as string)) return `membership '${f}' must be sorted without duplicates`;
    }
  }
  const voters = m.voters as string[];
  const clash = (m.learners as string[]).find((l) => voters.includes(l));
  return clash === undefined ? null : `node ${JSON.stringify(clash)} is both voter and learner`;
}

/** Checks one command of the hosted service (`null`: well formed); the key-value store's by default. */
export type CommandValidator = (command: unknown) => string | null;

/** Check a {@link LogCommand}; `validateCommand` checks the hosted service's commands. */
export function validateLogCommand(c: unknown, validateCommand: CommandValidator = validateKvCommand): string | null {
  if (!isObject(c)) return "log command is not an object";
  switch (c.type) {
    case "noop":
      return null;
    case "kv": {
      if (typeof c.clientId !== "string") return "kv entry needs a string 'clientId'";
      if (!isNat(c.seq)) return "kv entry needs a non-negative integer 'seq'";
      return validateCommand(c.command);
    }
    case "config": {
      const bad = validateMembership(c.config);
      if (bad) return bad;
      if (c.clientId !== null && typeof c.clientId !== "string") return "config entry 'clientId' must be a string or null";
      if (c.seq !== null && !isNat(c.seq)) return "config entry 'seq' must be null or a non-negative integer";
      return null;
    }
    default:
      return `unknown log command type ${JSON.stringify(c.type)}`;
  }
}

/** Check a {@link LogEntry}; `validateCommand` checks the hosted service's commands. */
export function validateLogEntry(e: unknown, validateCommand: CommandValidator = validateKvCommand): string | null {
  if (!isObject(e)) return "entry is not an object";
  if (!isNat(e.term) || e.term === 0) return "entry 'term' must be a positive integer";
  return validateLogCommand(e.command, validateCommand);
}

/** Check a {@link Snapshot}'s envelope (the state machine checks `data` itself). */
export function validateSnapshot(s: unknown): string | null {
  if (!isObject(s)) return "snapshot is not an object";
  if (!isNat(s.index) || !isNat(s.term)) return "snapshot 'index' and 'term' must be non-negative integers";
  if ((s.index === 0) !== (s.term === 0)) return "snapshot 'index' and 'term' must be both zero or both positive";
  const bad = validateMembership(s.config);
  if (bad) return `snapshot config: ${bad}`;
  if (!("data" in s)) return "snapshot has no 'data'";
  return null;
}

/**
 * Validate a client request's envelope and command; `null` when it is well formed. Admin commands
 * are Raft's own; anything else must be a command of the hosted service (`validateCommand`).
 */
export function validateClientRequest(req: ClientRequest<RaftCommand>, validateCommand: CommandValidator = validateKvCommand): string | null {
  if (typeof req.clientId !== "string" || req.clientId.length === 0) return "clientId must be a non-empty string";
  if (!Number.isSafeInteger(req.seq) || req.seq < 0) return "seq must be a non-negative integer";
  const c = req.command as unknown;
  if (typeof c !== "object" || c === null) return "command must be an object";
  const op = (c as { op?: unknown }).op;
  if (op === "add-learner" || op === "add-server" || op === "remove-server") {
    const node = (c as { node?: unknown }).node;
    return typeof node === "string" && node.length > 0 ? null : `${op} needs a node id in 'node'`;
  }
  if (op === "transfer-leadership") {
    const to = (c as { to?: unknown }).to;
    return typeof to === "string" && to.length > 0 ? null : "transfer-leadership needs a node id in 'to'";
  }
  return validateCommand(c);
}
