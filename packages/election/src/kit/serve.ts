/**
 * The lease election served over TCP (`synod serve election`): each member a process of its own,
 * so the leader can be killed or paused (`SIGSTOP`) for real, as an etcd campaigner would be. A
 * client asks any member `{ op: "lead" }`; the member that holds a valid lease by its own clock
 * answers its generation (the fencing token) and the lease it has left, the others `not-leader`.
 *
 * The members are `--peers` (or `--members`); `--protocol-options` holds the other
 * {@link LeaseOptions} (`leaseMs`, `driftBound`, `renewEveryMs`); `--election-timeout-ms` and
 * `--heartbeat-ms` (the renewal period) tune it.
 *
 * @module
 */
import type { KitTypes, ServedNode, ServeTuning } from "@synod/conformance";
import type { Json, NodeId, Rng } from "@synod/protocol";
import { LeaseNode } from "../lease.js";
import { ElectionConfigError, type LeaseOptions } from "../options.js";

const MESSAGE_TYPES = new Set(["Campaign", "Grant", "Renew", "Ack"]);
const isCount = (v: unknown): boolean => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** `null` if `m` is a well-formed lease-election message, else what is wrong with it. */
export function checkLeaseMessage(m: unknown): string | null {
  if (typeof m !== "object" || m === null) return "not an object";
  const x = m as Record<string, unknown>;
  if (typeof x.type !== "string" || !MESSAGE_TYPES.has(x.type)) return `unknown message type ${JSON.stringify(x.type as Json)}`;
  if (!isCount(x.gen)) return `${x.type}: gen must be an integer >= 0`;
  if ((x.type === "Renew" || x.type === "Ack") && !isCount(x.round)) return `${x.type}: round must be an integer >= 0`;
  return null;
}

/**
 * Create served member `id` from its durable state (a restart keeps its promise and forgets its
 * lease, as in the simulator).
 * @throws ElectionConfigError naming the option, for a bad option or `members` given as an option.
 */
export function createServedLeaseNode(init: { id: NodeId; peers: readonly NodeId[]; rng: Rng; durable: ReadonlyMap<string, Json>; tuning: ServeTuning; options: { [key: string]: Json } }): LeaseNode {
  const { id, peers, rng, durable, tuning, options } = init;
  if ("members" in options) throw new ElectionConfigError("--protocol-options: members are --peers (or --members), not a protocol option");
  if (tuning.snapshotEveryEntries !== undefined) throw new ElectionConfigError("--snapshot-every-entries: the lease election keeps no log");
  const o: LeaseOptions = { ...(options as unknown as Omit<LeaseOptions, "members">), members: [id, ...peers] };
  if (tuning.electionTimeoutMsMin !== undefined || tuning.electionTimeoutMsMax !== undefined) {
    o.electionTimeoutMs = { min: tuning.electionTimeoutMsMin ?? tuning.electionTimeoutMsMax!, max: tuning.electionTimeoutMsMax ?? tuning.electionTimeoutMsMin! };
  }
  if (tuning.heartbeatMs !== undefined) o.renewEveryMs = tuning.heartbeatMs;
  return new LeaseNode(id, o, rng, durable);
}

/** `synod serve election`: the descriptor's served node. */
export function leaseServed<T extends KitTypes & { node: LeaseNode }>(): ServedNode<T> {
  return {
    createNode: (init) => createServedLeaseNode(init) as T["node"],
    checkMessage: (m) => checkLeaseMessage(m),
    isStorageError: (err) => err instanceof Error && err.name === "LeaseStorageError",
    isConfigError: (err) => err instanceof ElectionConfigError,
    knobs: {
      electionTimeoutMsMin: "a member that hears no leader for a time in this range campaigns (with electionTimeoutMsMax)",
      electionTimeoutMsMax: "a member that hears no leader for a time in this range campaigns (with electionTimeoutMsMin)",
      heartbeatMs: "the leader's lease renewal period (protocol option renewEveryMs; below leaseMs)",
    },
  };
}
