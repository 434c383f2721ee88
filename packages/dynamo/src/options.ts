/**
 * A Dynamo node's options, their defaults and their validation: every option read is honoured,
 * and an unknown or out-of-range option is an error that names it.
 *
 * @module
 */
import type { NodeId } from "@synod/protocol";

/** How read repair treats replicas a read found behind. */
export type ReadRepairMode =
  /** Dynamo's: the read answers at R replies, then brings the stale replicas up to date. */
  | "async"
  /**
   * The read answers only once W replicas hold what it returns (ABD's write-back): later reads
   * then never see less, which makes R + W > N strict quorums linearizable.
   */
  | "blocking"
  /** No read repair (anti-entropy and handoff still converge replicas). */
  | "off";

/** The options of a Dynamo node. */
export interface DynamoOptions {
  /** Every member of the ring, this node included. */
  nodes: readonly NodeId[];
  /** Replicas per key, default for requests that do not say (default 3, at most the members). */
  n?: number;
  /** Replies a read waits for, by default (default 2). */
  r?: number;
  /** Acknowledgements a write waits for, by default (default 2). */
  w?: number;
  /** Tokens (virtual nodes) per member on the ring (default 8). */
  vnodes?: number;
  /**
   * Sloppy quorums: reads and writes go to the first N nodes the coordinator believes up, walking
   * the ring past the preference list, and a stand-in keeps a write as a hint for the owner it
   * replaces (hinted handoff). Strict (false, the default): only the preference list counts.
   */
  sloppy?: boolean;
  /**
   * Whether a node coordinates a key whose first owner it suspects (Dynamo's way: any of the top N
   * may coordinate; default true). Without failover, every request for a key is coordinated by
   * its first owner, so a client's retry always reaches the coordinator of its first attempt and
   * is never carried out twice (no zombie writes); the key is unavailable while that owner is down.
   */
  failover?: boolean;
  /**
   * Which node coordinates a request: `first`, the first of the key's targets the receiving node
   * does not suspect (Dynamo's usual coordinator; others redirect), or `any`, whichever target
   * the client reached (Dynamo behind a load balancer). Default `first`.
   */
  coordinator?: "first" | "any";
  /** Read repair (default `async`, as in Dynamo). */
  readRepair?: ReadRepairMode;
  /** A coordinator answers `unavailable` when its quorum has not answered in this long (default 80). */
  requestTimeoutMs?: number;
  /** Sloppy quorums: replicas silent for this long are replaced by the next nodes on the ring (default 30). */
  retargetAfterMs?: number;
  /** Pings, suspicion and hinted handoff run this often (default 50). */
  gossipMs?: number;
  /** A peer not heard from in this long is suspected down (default 200). */
  suspectAfterMs?: number;
  /** An anti-entropy round with the next peer starts this often; 0 turns anti-entropy off (default 200). */
  antiEntropyMs?: number;
  /**
   * A deliberately broken build (conformance must catch it): the coordinator counts its own
   * replica twice in every quorum, so R + W > N no longer makes read and write quorums overlap.
   */
  countReplicaTwice?: boolean;
}

/** {@link DynamoOptions} with every default filled in. */
export type ResolvedOptions = Required<DynamoOptions>;

/** An option that is missing, unknown or out of range. */
export class DynamoConfigError extends Error {
  override name = "DynamoConfigError";
}

const KNOWN = new Set(["nodes", "n", "r", "w", "vnodes", "sloppy", "failover", "coordinator", "readRepair", "requestTimeoutMs", "retargetAfterMs", "gossipMs", "suspectAfterMs", "antiEntropyMs", "countReplicaTwice"]);

/**
 * Fill in defaults and check every option.
 * @throws DynamoConfigError naming the option, for an unknown option or a bad value.
 */
export function resolveOptions(o: DynamoOptions): ResolvedOptions {
  if (typeof o !== "object" || o === null) throw new DynamoConfigError("dynamo options: expected an object");
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) throw new DynamoConfigError(`unknown dynamo option ${JSON.stringify(k)}`);
  if (!Array.isArray(o.nodes) || o.nodes.length === 0 || o.nodes.some((x) => typeof x !== "string" || x === "" || x.includes("/"))) {
    throw new DynamoConfigError("dynamo option nodes: expected a non-empty list of node ids (without '/')");
  }
  if (new Set(o.nodes).size !== o.nodes.length) throw new DynamoConfigError("dynamo option nodes: duplicate node id");
  const int = (name: "n" | "r" | "w" | "vnodes", dflt: number, max: number): number => {
    const v = o[name] ?? dflt;
    if (!(Number.isSafeInteger(v) && v >= 1 && v <= max)) throw new DynamoConfigError(`dynamo option ${name}: expected an integer in 1..${max}, got ${JSON.stringify(v)}`);
    return v;
  };
  const n = int("n", Math.min(3, o.nodes.length), o.nodes.length);
  const ms = (name: "requestTimeoutMs" | "retargetAfterMs" | "gossipMs" | "suspectAfterMs" | "antiEntropyMs", dflt: number, zeroOk = false): number => {
    const v = o[name] ?? dflt;
    if (!(typeof v === "number" && Number.isFinite(v) && (v > 0 || (zeroOk && v === 0)))) throw new DynamoConfigError(`dynamo option ${name}: expected a ${zeroOk ? "non-negative" : "positive"} number of ms, got ${JSON.stringify(v)}`);
    return v;
  };
  const flag = (name: "sloppy" | "failover" | "countReplicaTwice", dflt = false): boolean => {
    const v = o[name] ?? dflt;
    if (typeof v !== "boolean") throw new DynamoConfigError(`dynamo option ${name}: expected a boolean, got ${JSON.stringify(v)}`);
    return v;
  };
  if (o.sloppy === true && o.failover === false) throw new DynamoConfigError("dynamo options sloppy and failover: sloppy quorums need failover (a stand-in coordinates while owners are away)");
  const coordinator = o.coordinator ?? "first";
  if (coordinator !== "first" && coordinator !== "any") throw new DynamoConfigError(`dynamo option coordinator: expected first or any, got ${JSON.stringify(coordinator)}`);
  if (coordinator === "any" && o.failover === false) throw new DynamoConfigError("dynamo options coordinator and failover: coordinator any lets every target coordinate, so failover cannot be off");
  const readRepair = o.readRepair ?? "async";
  if (readRepair !== "async" && readRepair !== "blocking" && readRepair !== "off") throw new DynamoConfigError(`dynamo option readRepair: expected async, blocking or off, got ${JSON.stringify(readRepair)}`);
  return {
    nodes: [...o.nodes],
    n,
    r: int("r", Math.min(2, n), n),
    w: int("w", Math.min(2, n), n),
    vnodes: int("vnodes", 8, 4096),
    sloppy: flag("sloppy"),
    failover: flag("failover", true),
    coordinator,
    readRepair,
    requestTimeoutMs: ms("requestTimeoutMs", 80),
    retargetAfterMs: ms("retargetAfterMs", 30),
    gossipMs: ms("gossipMs", 50),
    suspectAfterMs: ms("suspectAfterMs", 200),
    antiEntropyMs: ms("antiEntropyMs", 200, true),
    countReplicaTwice: flag("countReplicaTwice"),
  };
}
