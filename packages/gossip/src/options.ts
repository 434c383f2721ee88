/**
 * The gossip node's options, with their defaults and validation: every option is checked and an
 * unknown one is an error naming it (an option read but not honoured would be a silent pass).
 *
 * @module
 */
import type { PayloadChoice } from "./payload.js";

/** How a rumor round exchanges hot rumors with the sampled peers. */
export type GossipMode = "push" | "pull" | "push-pull";

/** How anti-entropy compares replicas: Merkle descent, whole-state exchange, or not at all. */
export type AntiEntropyMode = "merkle" | "full" | "off";

/** SWIM failure detection (memberlist's names and defaults, scaled to simulated milliseconds). */
export interface SwimOptions {
  /** Time between probes (memberlist `ProbeInterval`). */
  probeIntervalMs: number;
  /** Wait for a direct ack before asking others (memberlist `ProbeTimeout`). */
  probeTimeoutMs: number;
  /** Members asked to probe indirectly (memberlist `IndirectChecks`). */
  indirectChecks: number;
  /** From suspect to dead without a refutation. */
  suspicionTimeoutMs: number;
  /** Each membership update is piggybacked `retransmitMult × ⌈log10(n+1)⌉` times. */
  retransmitMult: number;
  /** Membership updates per probe message at most. */
  maxPiggyback: number;
  /**
   * Chance per probe period of also pinging one member believed dead (serf's reconnect): after a
   * partition heals, each side has declared the other dead and would never talk to it again.
   */
  reconnectProbability: number;
}

/**
 * Deliberately broken behaviour, for conformance's broken variants only.
 */
export interface UnsafeOptions {
  /** Anti-entropy never descends into the first of the differing ranges it finds (an off-by-one). */
  skipMerkleRange?: boolean;
  /** Deltas join without waiting for their causal dependencies. */
  ignoreCausality?: boolean;
}

/** Everything a gossip node is configured with. */
export interface GossipOptions {
  /** The replicated data type of every key (a `@synod/crdt` type), or a function choosing it by key. */
  payload: PayloadChoice;
  /** Push, pull or push-pull rumor rounds. */
  mode: GossipMode;
  /** Peers contacted per rumor round. */
  fanout: number;
  /** Time between rumor rounds. */
  gossipPeriodMs: number;
  /** Feedback / counter stop rule: a rumor goes cold after this many peers knew it already. */
  rumorStopAfter: number;
  /** Hot rumors kept at most (the oldest goes cold beyond). */
  maxHotRumors: number;
  /** Deltas per rumor message at most. */
  maxDeltasPerMessage: number;
  /** Deltas waiting for causal dependencies at most (beyond, dropped; anti-entropy repairs). */
  maxPendingDeltas: number;
  /** How anti-entropy compares replicas. */
  antiEntropy: AntiEntropyMode;
  /** Time between anti-entropy exchanges (with one sampled peer). */
  antiEntropyPeriodMs: number;
  /** Merkle tree shape: children per node, and levels below the root. */
  merkleBranching: number;
  merkleDepth: number;
  /**
   * Compact each key's state at its causally stable cut (the pointwise minimum of what every
   * member has reported incorporating), for types with a `compact` (the OR-Set's tombstones).
   */
  compactStable: boolean;
  /** SWIM membership, or null for a static membership (every peer always a gossip target). */
  swim: SwimOptions | null;
  /** Broken behaviour (tests only). */
  unsafe: UnsafeOptions;
}

/** Defaults (memberlist's LAN timing divided by 10, for simulated runs). */
export const DEFAULT_SWIM: SwimOptions = {
  probeIntervalMs: 100,
  probeTimeoutMs: 50,
  indirectChecks: 3,
  suspicionTimeoutMs: 500,
  retransmitMult: 4,
  maxPiggyback: 8,
  reconnectProbability: 0.2,
};

/** Defaults of everything but the payload. */
export const DEFAULTS: Omit<GossipOptions, "payload"> = {
  mode: "push-pull",
  fanout: 2,
  gossipPeriodMs: 20,
  rumorStopAfter: 3,
  maxHotRumors: 1024,
  maxDeltasPerMessage: 64,
  maxPendingDeltas: 4096,
  antiEntropy: "merkle",
  antiEntropyPeriodMs: 100,
  merkleBranching: 16,
  merkleDepth: 2,
  compactStable: true,
  swim: DEFAULT_SWIM,
  unsafe: {},
};

/** An invalid option; the message names it. */
export class GossipOptionError extends Error {
  override name = "GossipOptionError";
}

const KEYS = new Set<string>(["payload", ...Object.keys(DEFAULTS)]);
const SWIM_KEYS = new Set<string>(Object.keys(DEFAULT_SWIM));
const UNSAFE_KEYS = new Set<string>(["skipMerkleRange", "ignoreCausality"]);

function int(path: string, v: unknown, min: number, max: number): number {
  if (!Number.isSafeInteger(v) || (v as number) < min || (v as number) > max) throw new GossipOptionError(`${path}: expected an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
  return v as number;
}

/** Options from a partial set: defaults filled in, everything checked (throws {@link GossipOptionError}). */
export function resolveOptions(partial: Partial<GossipOptions> & { payload: PayloadChoice }): GossipOptions {
  for (const k of Object.keys(partial)) if (!KEYS.has(k)) throw new GossipOptionError(`unknown gossip option ${JSON.stringify(k)} (known: ${[...KEYS].join(", ")})`);
  const o: GossipOptions = { ...DEFAULTS, ...partial, unsafe: { ...(partial.unsafe ?? {}) } };
  const p = o.payload as unknown;
  const isType = (x: unknown): boolean => typeof (x as { merge?: unknown } | null)?.merge === "function" && typeof (x as { mutate?: unknown }).mutate === "function";
  if (typeof p !== "function" && !isType(p)) throw new GossipOptionError("payload: expected a replicated data type (a @synod/crdt StateCrdt) or a function of the key choosing one");
  if (!["push", "pull", "push-pull"].includes(o.mode)) throw new GossipOptionError(`mode: expected push, pull or push-pull, got ${JSON.stringify(o.mode)}`);
  if (!["merkle", "full", "off"].includes(o.antiEntropy)) throw new GossipOptionError(`antiEntropy: expected merkle, full or off, got ${JSON.stringify(o.antiEntropy)}`);
  int("fanout", o.fanout, 1, 64);
  int("gossipPeriodMs", o.gossipPeriodMs, 1, 3_600_000);
  int("rumorStopAfter", o.rumorStopAfter, 1, 1_000_000);
  int("maxHotRumors", o.maxHotRumors, 1, 1_000_000);
  int("maxDeltasPerMessage", o.maxDeltasPerMessage, 1, 100_000);
  int("maxPendingDeltas", o.maxPendingDeltas, 0, 1_000_000);
  int("antiEntropyPeriodMs", o.antiEntropyPeriodMs, 1, 3_600_000);
  int("merkleBranching", o.merkleBranching, 2, 256);
  int("merkleDepth", o.merkleDepth, 1, 8);
  if (typeof o.compactStable !== "boolean") throw new GossipOptionError(`compactStable: expected a boolean, got ${JSON.stringify(o.compactStable)}`);
  if (o.merkleBranching ** o.merkleDepth > 1 << 20) throw new GossipOptionError(`merkleBranching^merkleDepth: at most 2^20 leaves, got ${o.merkleBranching ** o.merkleDepth}`);
  if (o.swim !== null) {
    if (typeof o.swim !== "object") throw new GossipOptionError("swim: expected an object or null");
    for (const k of Object.keys(o.swim)) if (!SWIM_KEYS.has(k)) throw new GossipOptionError(`unknown swim option ${JSON.stringify(k)} (known: ${[...SWIM_KEYS].join(", ")})`);
    const s = { ...DEFAULT_SWIM, ...o.swim };
    int("swim.probeIntervalMs", s.probeIntervalMs, 1, 3_600_000);
    int("swim.probeTimeoutMs", s.probeTimeoutMs, 1, s.probeIntervalMs);
    int("swim.indirectChecks", s.indirectChecks, 0, 64);
    int("swim.suspicionTimeoutMs", s.suspicionTimeoutMs, 1, 3_600_000);
    int("swim.retransmitMult", s.retransmitMult, 1, 100);
    int("swim.maxPiggyback", s.maxPiggyback, 0, 1000);
    if (typeof s.reconnectProbability !== "number" || !(s.reconnectProbability >= 0 && s.reconnectProbability <= 1)) throw new GossipOptionError(`swim.reconnectProbability: expected a number in [0, 1], got ${JSON.stringify(s.reconnectProbability)}`);
    o.swim = s;
  }
  for (const [k, v] of Object.entries(o.unsafe)) {
    if (!UNSAFE_KEYS.has(k)) throw new GossipOptionError(`unknown unsafe option ${JSON.stringify(k)} (known: ${[...UNSAFE_KEYS].join(", ")})`);
    if (typeof v !== "boolean") throw new GossipOptionError(`unsafe.${k}: expected a boolean, got ${JSON.stringify(v)}`);
  }
  return o;
}
