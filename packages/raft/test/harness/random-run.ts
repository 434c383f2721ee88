/**
 * One randomized run: 5 nodes, clients retrying with the same seq, message loss, duplication and
 * reordering, crashes and restarts. Safety is checked after every step.
 */
import { SeededRng, type DurableWrite, type NodeId } from "@synod/protocol";
import { recover } from "../../src/storage.js";
import type { KvCommand, RaftOptions } from "../../src/types.js";
import { Cluster } from "./cluster.js";
import { SafetyChecker } from "./safety.js";

export interface RunConfig {
  seed: number;
  steps: number;
  options?: Partial<RaftOptions>;
  nodes?: number;
  /** Exercise membership changes and leadership transfers too. */
  admin?: boolean;
  /** Check that every prefix of every ready's writes (a crash mid-persist) recovers; slow. */
  checkCrashPrefixes?: boolean;
  /** Give each node a clock rate drawn from [1 - d/2, 1 + d/2], so rates differ by at most about d. */
  clockDrift?: number;
}

export interface RunStats {
  completed: number;
  reads: number;
  committed: number;
  leaderChanges: number;
  crashes: number;
}

interface Client {
  id: string;
  seq: number;
  command: KvCommand | null;
  target: NodeId;
  waitingSince: number;
  invokedAt: number;
  floorAtInvoke: number;
}

const KEYS = ["a", "b", "c"];

/** Run one seed; throws `SafetyViolation` (with the seed in the message) if a property breaks. */
export function randomRun(cfg: RunConfig): RunStats {
  const ids = Array.from({ length: cfg.nodes ?? 5 }, (_, k) => `n${k + 1}`);
  const rng = SeededRng.derive(cfg.seed, "random-run");
  const cluster = new Cluster({ ids, seed: cfg.seed, options: cfg.options, latencyMs: [1, 30] });
  // With admin commands, a sixth node starts outside the cluster and may be added later.
  const all = cfg.admin === true ? [...ids, `n${ids.length + 1}`] : ids;
  if (cfg.admin === true) cluster.addJoiner(all[all.length - 1] as NodeId);
  const checker = new SafetyChecker();
  if (cfg.checkCrashPrefixes === true) {
    cluster.crashPrefixCheck = (id, store, writes) => {
      const copy = new Map(store);
      for (let k = 0; k < writes.length - 1; k++) {
        const w = writes[k] as DurableWrite;
        if ("delete" in w) copy.delete(w.key);
        else copy.set(w.key, w.value);
        try {
          recover(id, copy);
        } catch (e) {
          throw new Error(`seed ${cfg.seed}: a crash after write ${k + 1} of ${writes.length} leaves ${id} unrecoverable: ${(e as Error).message}`);
        }
      }
    };
  }
  if (cfg.clockDrift !== undefined) {
    for (const id of ids) cluster.clockRate.set(id, 1 - cfg.clockDrift / 2 + rng.nextFloat() * cfg.clockDrift);
  }
  const clients: Client[] = ["c1", "c2", "c3"].map((id) => ({
    id,
    seq: 1,
    command: null,
    target: ids[0] as NodeId,
    waitingSince: 0,
    invokedAt: 0,
    floorAtInvoke: 0,
  }));
  const pick = <T>(xs: readonly T[]): T => xs[rng.nextInt(0, xs.length - 1)] as T;
  const stats: RunStats = { completed: 0, reads: 0, committed: 0, leaderChanges: 0, crashes: 0 };
  let lastLeader: NodeId | null = null;
  let adminSeq = 1;
  const maxCrashed = Math.floor((ids.length - 1) / 2);

  const issue = (c: Client, fresh: boolean): void => {
    if (fresh) {
      const key = pick(KEYS);
      const r = rng.nextInt(0, 9);
      const value = `${c.id}.${c.seq}`;
      c.command =
        r < 4 ? { op: "get", key } : r < 6 ? { op: "put", key, value } : r < 8 ? { op: "cas", key, expected: pick([null, `${pick(clients).id}.${c.seq - 1}`]), value } : { op: "delete", key };
      c.invokedAt = checker.committedIndex;
      c.floorAtInvoke = checker.readFloor(key);
      // Now and then ask any node: a deposed leader that does not know it yet must not answer stale.
      if (rng.nextInt(0, 3) === 0) c.target = pick(all.filter((id) => !cluster.crashed.has(id)).concat(c.target));
    }
    c.waitingSince = step;
    cluster.request(c.target, c.id, c.seq, c.command as KvCommand);
  };

  let step = 0;
  const live = (): NodeId[] => all.filter((id) => !cluster.crashed.has(id));
  for (step = 0; step < cfg.steps; step++) {
    const roll = rng.nextInt(0, 999);
    if (roll < 850) {
      cluster.runNextEvent(5, 2);
    } else if (roll < 975) {
      const idle = clients.filter((c) => c.command === null || step - c.waitingSince > 100);
      if (idle.length > 0) {
        const c = pick(idle);
        if (c.command !== null) c.target = pick(live().length > 0 ? live() : ids);
        issue(c, c.command === null);
      }
    } else if (roll < 977) {
      const up = live().filter((id) => !cluster.partitioned.has(id));
      // Half the time cut off the leader: the interesting case for reads and commits.
      const leader = cluster.leaders().find((id) => up.includes(id));
      const victim = leader !== undefined && rng.nextInt(0, 1) === 0 ? leader : pick(up);
      if (cluster.partitioned.size < maxCrashed && up.length > 0) cluster.partitioned.add(victim);
    } else if (roll < 980) {
      cluster.partitioned.clear();
    } else if (roll < 982) {
      const up = live();
      if (cluster.crashed.size < maxCrashed && up.length > 0) {
        cluster.crash(pick(up));
        stats.crashes++;
      }
    } else if (roll < 991) {
      if (cluster.crashed.size > 0) cluster.restart(pick([...cluster.crashed]));
    } else if (cfg.admin === true) {
      const leader = cluster.leaders()[0];
      if (leader !== undefined) {
        const r = rng.nextInt(0, 2);
        const node = pick(all);
        const cmd =
          r === 0 ? { op: "transfer-leadership" as const, to: node } : r === 1 ? { op: "remove-server" as const, node } : { op: "add-server" as const, node };
        if (!(r === 1 && node === leader)) cluster.request(leader, "admin", adminSeq++, cmd);
      }
    }

    for (const id of live()) {
      const n = cluster.node(id);
      const shadow = cluster.written.get(id);
      checker.observe(n.inspect(), (i) => shadow?.get(i), () => n.kvEntries());
    }
    for (const o of cluster.takeOutputs()) {
      if (o.kind !== "reply") continue;
      const r = o.reply;
      const c = clients.find((x) => x.id === r.clientId);
      if (c === undefined) continue;
      if (!r.ok) {
        if (r.error === "rejected") throw new Error(`seed ${cfg.seed}: request ${r.clientId}#${r.seq} rejected: ${r.detail ?? ""}`);
        if (r.seq === c.seq) {
          c.target = r.leaderHint ?? pick(all);
          c.waitingSince = -1000; // retry soon, same seq
        }
        continue;
      }
      const cmd = r.seq === c.seq ? c.command : null;
      if (cmd !== null && cmd.op === "get" && cluster.options.readMode !== "log") {
        const value = "value" in r.result ? (r.result.value ?? null) : null;
        checker.checkRead(cmd.key, value, c.invokedAt, c.floorAtInvoke);
        stats.reads++;
      } else if (cmd !== null || r.seq < c.seq) {
        if (!(cmd === null && cluster.options.readMode !== "log" && !("ok" in r.result))) {
          checker.checkLoggedReply(r.clientId, r.seq, r.result);
        }
      }
      if (r.seq === c.seq) {
        c.seq++;
        c.command = null;
        stats.completed++;
      }
    }
    const leader = cluster.leaders()[0] ?? null;
    if (leader !== null && leader !== lastLeader) {
      stats.leaderChanges++;
      lastLeader = leader;
    }
  }
  stats.committed = checker.committedIndex;
  return stats;
}
