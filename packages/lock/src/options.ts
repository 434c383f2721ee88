/**
 * How a lock cluster is laid out and timed, with defaults and validation. Every node of a cluster
 * gets the same options and finds its role by its id.
 *
 * Time is counted in ticks of `tickMs` (a clock's resolution): a store's expiry, a client's lease
 * and every comparison between them are whole ticks, as in `specs/lock/Redlock.tla`, so the spec's
 * arithmetic is the implementation's.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";

/** The layout and timing of a Redlock cluster. */
export interface LockOptions {
  /** The independent lock stores (Redis masters); the lock is held on a majority of them. */
  stores: readonly NodeId[];
  /** The linearizable counter that issues fencing tokens. */
  counter: NodeId;
  /** The storage service the lock protects. */
  storage: NodeId;
  /** The lock clients (each runs the Redlock algorithm for the requests it is sent). */
  clients: readonly NodeId[];
  /** Length of a tick, the unit of every lease and expiry. Default 10 ms. */
  tickMs?: number;
  /** A store's key expires this many ticks after the grant. Default 5. */
  ttlTicks?: number;
  /** Ticks a client takes off its lease for clock drift (Redlock's drift factor). Default 0. */
  driftAllowanceTicks?: number;
  /** Time between a client's lease check and its write (the protected work). Default 2 ms. */
  workMs?: number;
  /** A client resends an unanswered token request or write this often. Default 15 ms. */
  resendMs?: number;
  /**
   * A failed attempt is retried after a random delay between one tick and a window of this many
   * ms (at least `tickMs`), doubled for each further failed attempt of the same request. Default:
   * half the lease (`ttlTicks * tickMs / 2`), but at least a tick.
   */
  retryDelayMs?: number;
  /** The largest back-off window (at least `retryDelayMs`). Default: 8 × `retryDelayMs`. */
  retryDelayMaxMs?: number;
  /**
   * A deliberately broken build (conformance must catch it): clients never delete their keys, on
   * release or on failure; every holder waits out the previous keys' lease.
   */
  noRelease?: boolean;
  /**
   * A deliberately broken build (conformance must catch it): a failed attempt is retried at once,
   * without the random delay (clients that split the stores split them again).
   */
  noRetryDelay?: boolean;
  /**
   * A deliberately broken build (conformance must catch it): the storage accepts every write
   * without checking its fencing token — a lock user that does not check its token.
   */
  uncheckedToken?: boolean;
}

/** {@link LockOptions} with every default filled in. */
export type ResolvedLockOptions = Required<LockOptions>;

/** An option that is missing or out of range. */
export class LockConfigError extends Error {
  override name = "LockConfigError";
}

const KNOWN = new Set(["stores", "counter", "storage", "clients", "tickMs", "ttlTicks", "driftAllowanceTicks", "workMs", "resendMs", "retryDelayMs", "retryDelayMaxMs", "noRelease", "noRetryDelay", "uncheckedToken"]);

/**
 * Fill in defaults and check every option.
 * @throws LockConfigError naming the option, for an unknown option or a bad value.
 */
export function resolveLockOptions(o: LockOptions): ResolvedLockOptions {
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) throw new LockConfigError(`unknown lock option ${JSON.stringify(k)}`);
  const ids = (name: "stores" | "clients"): NodeId[] => {
    const v = o[name];
    if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== "string" || x === "")) throw new LockConfigError(`lock option ${name}: expected a non-empty list of node ids`);
    return [...v];
  };
  const id = (name: "counter" | "storage"): NodeId => {
    const v = o[name];
    if (typeof v !== "string" || v === "") throw new LockConfigError(`lock option ${name}: expected a node id`);
    return v;
  };
  const num = (name: "tickMs" | "ttlTicks" | "driftAllowanceTicks" | "workMs" | "resendMs" | "retryDelayMs" | "retryDelayMaxMs", dflt: number, min: number, integer: boolean): number => {
    const v = o[name] ?? dflt;
    if (!(typeof v === "number" && Number.isFinite(v) && v >= min && (!integer || Number.isInteger(v)))) {
      throw new LockConfigError(`lock option ${name}: expected ${integer ? "an integer" : "a number"} >= ${min}, got ${JSON.stringify(v)}`);
    }
    return v;
  };
  const flag = (name: "uncheckedToken" | "noRelease" | "noRetryDelay"): boolean => {
    const v = o[name] ?? false;
    if (typeof v !== "boolean") throw new LockConfigError(`lock option ${name}: expected a boolean`);
    return v;
  };
  const tickMs = num("tickMs", 10, Number.MIN_VALUE, false);
  const ttlTicks = num("ttlTicks", 5, 1, true);
  const retryDelayMs = num("retryDelayMs", Math.max(tickMs, (ttlTicks * tickMs) / 2), tickMs, false);
  const r: ResolvedLockOptions = {
    stores: ids("stores"),
    counter: id("counter"),
    storage: id("storage"),
    clients: ids("clients"),
    tickMs,
    ttlTicks,
    driftAllowanceTicks: num("driftAllowanceTicks", 0, 0, true),
    workMs: num("workMs", 2, 0, false),
    resendMs: num("resendMs", 15, Number.MIN_VALUE, false),
    retryDelayMs,
    retryDelayMaxMs: num("retryDelayMaxMs", 8 * retryDelayMs, retryDelayMs, false),
    noRelease: flag("noRelease"),
    noRetryDelay: flag("noRetryDelay"),
    uncheckedToken: flag("uncheckedToken"),
  };
  if (r.driftAllowanceTicks >= r.ttlTicks) throw new LockConfigError(`lock option driftAllowanceTicks: ${r.driftAllowanceTicks} leaves no lease of ttlTicks ${r.ttlTicks}`);
  const all = [...r.stores, r.counter, r.storage, ...r.clients];
  if (new Set(all).size !== all.length) throw new LockConfigError("lock options: a node id has two roles (stores, counter, storage and clients must be distinct)");
  return r;
}

/** The tick a clock reading falls in. */
export function tickOf(nowMs: number, tickMs: number): number {
  return Math.floor(nowMs / tickMs);
}
