/**
 * Spec → implementation replay for the ZooKeeper recipe: each action of `ZkLock.tla` becomes the
 * node events that take it, on a manual-network cluster of the coordination server z1, the
 * storage z2 and recipe clients c1-c3 (the spec's `Client`); the abstraction maps the server's
 * tree, the clients and the storage to the spec's variables.
 *
 * The tree's operations are atomic in the spec, so an action delivers a client's request and the
 * server's answer together. A session expires (`SessionExpire(c)`) when the adapter moves the
 * clock past the session's ttl after every other live session has sent a heartbeat, then fires the
 * server's expiry.
 *
 * @module
 */
import { AdapterError, loadSpec, specDirNear, type Adapter, type LoadedSpec, type SpecAction, type State } from "@synod/conformance";
import type { NodeId } from "@synod/protocol";
import { TestCluster } from "@synod/testkit";
import type { CoordTree } from "@synod/kv";
import { CoordReplica } from "../coord-replica.js";
import type { CoordServer } from "../coord-server.js";
import { createZkNode, type ZkNode } from "../index.js";
import type { ZkOptions } from "../zk-options.js";
import type { LockCommand, LockMessage, LockResult } from "../messages.js";
import type { FencedStorage } from "../storage.js";
import type { ZkLockClient } from "../zk-client.js";
import { clientView, serverView, storageView, zkSpecState } from "./zk-abstraction.js";
import type { ZkHost, ZkVariant } from "./zk-histories.js";

/** The replay cluster: the coordination server (the Raft leader when the tree is replicated), the storage, the recipe clients. */
export const ZK_REPLAY_COORD = "z1";
/** With the tree replicated by Raft: its replicas, `z1` the leader. */
export const ZK_REPLAY_REPLICAS = [ZK_REPLAY_COORD, "z3", "z4"];
export const ZK_REPLAY_STORAGE = "z2";
export const ZK_REPLAY_CLIENTS = ["c1", "c2", "c3"];
const IDS = [ZK_REPLAY_COORD, ZK_REPLAY_STORAGE, ...ZK_REPLAY_CLIENTS];
const TTL_MS = 100;
const PATH = "/lock/";

/** TLC's distinct states of `MCZkLockFenced.cfg`, the coverage model. */
export const ZK_COVERAGE_DISTINCT = 9184;

/** Load `MCZkLock.tla` with fencing and the CI bounds (those of `MCZkLockFenced.cfg`). */
export function loadZkLock(): Promise<LoadedSpec> {
  const cfg = `CONSTANTS Client = {${ZK_REPLAY_CLIENTS.join(", ")}} Fencing = TRUE MaxSeq = 3 MaxWrites = 2\nINIT Init\nNEXT Next\nCONSTRAINT Bounds\n`;
  return loadSpec({ dir: specDirNear(import.meta.url, "specs/lock"), module: "MCZkLock.tla", cfg, servers: IDS });
}

/** The recipe cluster replay drives. */
export interface ZkHarness {
  cluster: TestCluster<LockMessage, LockCommand, LockResult, ZkNode>;
  seq: number;
}

const clientOf = (session: string): string => session.slice(0, session.indexOf("."));

/**
 * The replay adapter over the loaded `ZkLock` model, for the correct build or a broken `variant`,
 * with the tree on one server (`single`) or replicated by Raft on three replicas (`raft`): there
 * `z1` is elected first, and each tree operation is delivered to it and replicated (every message
 * between the replicas delivered) before its answer goes back.
 */
export function zkAdapter(spec: LoadedSpec, variant: ZkVariant = {}, host: ZkHost = "single"): Adapter<ZkHarness> {
  const replicas = host === "raft" ? ZK_REPLAY_REPLICAS : [ZK_REPLAY_COORD];
  const name = (label: SpecAction): NodeId => {
    const v = label.params.find(([n]) => n === "c")?.[1];
    if (v === undefined) throw new AdapterError(`${label.action}: no parameter c`);
    return spec.nameOf(v);
  };
  const tree = (h: ZkHarness): CoordTree => {
    const n = h.cluster.node(ZK_REPLAY_COORD);
    return n instanceof CoordReplica ? n.tree : (n as CoordServer).service.machine;
  };
  /** Deliver every message between the tree's replicas until none is left (Raft's replication and ReadIndex rounds). */
  const pump = (h: ZkHarness): void => {
    for (let k = 0; k < 10_000; k++) {
      const m = h.cluster.inflight.find((x) => replicas.includes(x.from) && replicas.includes(x.to));
      if (m === undefined) return;
      h.cluster.deliver(m.id);
    }
    throw new AdapterError("the replicas never went quiet");
  };
  const client = (h: ZkHarness, c: NodeId): ZkLockClient => h.cluster.node(c) as ZkLockClient;
  /** Deliver the first in-flight message from `from` to `to` matching `pick`; throws if none. */
  const deliver = (h: ZkHarness, from: NodeId, to: NodeId, pick: (m: LockMessage) => boolean, what: string): void => {
    const m = h.cluster.inflight.find((x) => x.from === from && x.to === to && pick(x.message));
    if (m === undefined) throw new AdapterError(`${what}: no such message from ${from} to ${to} in flight`);
    h.cluster.deliver(m.id);
  };
  /** Deliver `c`'s outstanding tree request and the server's answer. */
  const roundTrip = (h: ZkHarness, c: NodeId, op: string, what: string): void => {
    deliver(h, c, ZK_REPLAY_COORD, (m) => m.type === "Coord" && m.client === c && m.command.op === op, what);
    pump(h);
    deliver(h, ZK_REPLAY_COORD, c, (m) => m.type === "CoordReply" && m.client === c, `${what} (the answer)`);
  };
  const heartbeat = (h: ZkHarness, c: NodeId): void => {
    h.cluster.fire(c, "heartbeat");
    deliver(h, c, ZK_REPLAY_COORD, (m) => m.type === "Coord" && m.command.op === "heartbeat", "heartbeat");
    pump(h);
    deliver(h, ZK_REPLAY_COORD, c, (m) => m.type === "CoordReply" && m.client === `${c}/hb`, "heartbeat (the answer)");
  };
  const drop = (h: ZkHarness, c: NodeId): void => {
    h.cluster.inflight = h.cluster.inflight.filter((m) => m.from !== c && m.to !== c);
  };
  const sessionOpen = (h: ZkHarness, c: NodeId): boolean => tree(h).sessionIds().some((s) => clientOf(s) === c);
  const ids = [...replicas, ZK_REPLAY_STORAGE, ...ZK_REPLAY_CLIENTS];
  const options: ZkOptions = {
    coord: host === "raft" ? replicas : ZK_REPLAY_COORD,
    ...(host === "raft" ? { raft: { electionTimeoutMsMin: 50, electionTimeoutMsMax: 100, heartbeatMs: 10 } } : {}),
    storage: ZK_REPLAY_STORAGE,
    clients: ZK_REPLAY_CLIENTS,
    sessionTtlMs: TTL_MS,
    heartbeatMs: 10,
    expireEveryMs: 10,
    uncheckedToken: variant.uncheckedToken ?? false,
    trustWatch: variant.trustWatch ?? false,
  };
  const work = (h: ZkHarness, c: NodeId): void => h.cluster.request(c, "conformance", ++h.seq, { op: "work", value: `w${h.seq}` });
  return {
    variables: spec.model.variables,
    create: () => {
      const cluster = new TestCluster<LockMessage, LockCommand, LockResult, ZkNode>({ ids, seed: 1, create: (id, _peers, rng) => createZkNode(id, options, rng) });
      const h = { cluster, seq: 0 };
      if (host === "raft") {
        // z1 campaigns and commits its first entry; no other timer of a replica ever fires here.
        cluster.fire(ZK_REPLAY_COORD, "election");
        pump(h);
        const z1 = cluster.node(ZK_REPLAY_COORD) as CoordReplica;
        if (z1.raft.role !== "leader") throw new AdapterError(`replay: ${ZK_REPLAY_COORD} did not become the tree's leader`);
      }
      cluster.takeOutputs();
      return h;
    },
    abstract: (h): State =>
      zkSpecState(
        spec,
        serverView(h.cluster.node(ZK_REPLAY_COORD) as CoordServer | CoordReplica, PATH),
        storageView(h.cluster.node(ZK_REPLAY_STORAGE) as FencedStorage),
        new Map(ZK_REPLAY_CLIENTS.map((c) => [c, clientView(client(h, c))])),
      ),
    apply(h, label) {
      const c = h.cluster;
      switch (label.action) {
        case "OpenSession": {
          const cl = name(label);
          // A create left over from a session that expired fails first (spec-invisible).
          if (client(h, cl).phase === "creating") roundTrip(h, cl, "create", "OpenSession (the stale create)");
          // A client that has not heard its session expired learns it from its next heartbeat.
          if (client(h, cl).session !== null) heartbeat(h, cl);
          work(h, cl);
          roundTrip(h, cl, "open", "OpenSession");
          break;
        }
        case "Create": {
          const cl = name(label);
          if (client(h, cl).phase === "idle") work(h, cl);
          roundTrip(h, cl, "create", "Create");
          break;
        }
        case "List":
          roundTrip(h, name(label), "children", "List");
          break;
        case "WatchFires": {
          const cl = name(label);
          deliver(h, cl, ZK_REPLAY_COORD, (m) => m.type === "Watch", "WatchFires (the watch)");
          deliver(h, ZK_REPLAY_COORD, cl, (m) => m.type === "WatchEvent", "WatchFires");
          break;
        }
        case "SessionExpire": {
          const cl = name(label);
          c.nowMs += TTL_MS;
          for (const other of ZK_REPLAY_CLIENTS) if (other !== cl && sessionOpen(h, other) && client(h, other).session !== null) heartbeat(h, other);
          c.fire(ZK_REPLAY_COORD, "expire");
          pump(h);
          break;
        }
        case "SessionLost": {
          const cl = name(label);
          heartbeat(h, cl);
          // A listing client acts on the loss after its listing's answer, which shows its key gone.
          if (client(h, cl).phase === "listing") roundTrip(h, cl, "children", "SessionLost (the listing)");
          drop(h, cl);
          break;
        }
        case "SendWrite":
          c.fire(name(label), "work");
          break;
        case "StorageWrite": {
          const cl = name(label);
          deliver(h, cl, ZK_REPLAY_STORAGE, (m) => m.type === "Write", "StorageWrite");
          break;
        }
        case "Release": {
          const cl = name(label);
          deliver(h, ZK_REPLAY_STORAGE, cl, (m) => m.type === "WriteReply", "Release");
          roundTrip(h, cl, "delete", "Release (the delete)");
          drop(h, cl);
          break;
        }
        default:
          throw new AdapterError(`no implementation mapping for ${label.action}`);
      }
      c.takeOutputs();
    },
  };
}
