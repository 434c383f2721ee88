/**
 * The real thing, for every protocol in the registry that serves the key-value store (Raft,
 * Multi-Paxos, ...): three `synod serve <protocol>` processes on loopback with fsync'd storage, concurrent
 * clients, SIGKILLs of the leader and of a follower with restarts, a paused leader, a partitioned
 * leader (peer links run through proxies the test can cut), a whole-cluster crash, and the client
 * history checked for linearizability by @synod/lincheck. Replay the workload choices with SEED=<n>; the fault
 * times are wall-clock, so a replay repeats the operations, not the interleaving. A soak:
 * SYNOD_CLUSTER_ROUNDS=20 repeats the fault round (about 12 s each).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadKits, type AnyKit } from "@synod/conformance";
import { checkHistory, kv, type HistoryEvent } from "@synod/lincheck";
import { seededRng } from "../src/host/rng.js";
import { FileStorage } from "../src/storage/file-storage.js";
import { FILE_HEADER_BYTES, RECORD_HEADER_BYTES, scanRecords } from "../src/storage/record.js";
import { ClusterClient, type ClientOutcome } from "../src/transport/cluster-client.js";
import type { KvReply, KvRequest } from "../src/commands/kv.js";
import { waitFor } from "./helpers.js";
import { runSynod } from "./processes.js";
import { IDS, makeCluster, running, stopAllNodes } from "./real-cluster.js";

/** Fault rounds (kill leader, kill follower, pause leader); raise SYNOD_CLUSTER_ROUNDS for a soak. */
const ROUNDS = Number(process.env.SYNOD_CLUSTER_ROUNDS ?? 1);
const clients: ClusterClient<KvRequest, KvReply>[] = [];

afterAll(async () => {
  for (const c of clients) c.close();
  await stopAllNodes();
});

/** The protocols served with the key-value store to plain clients (one node's answer; BFT services, whose clients sign and wait for f + 1 replies, have their own test: bft-cluster.test.ts). */
const KV_KITS: AnyKit[] = (await loadKits()).filter((k) => k.serve !== undefined && k.serve.client === undefined && k.histories.service.name === "kv");

/** Whether `kit` takes protocol snapshots (a `--snapshot-every-entries` knob). */
function snapshots(kit: AnyKit): boolean {
  return kit.serve?.knobs.snapshotEveryEntries !== undefined;
}

/** Every node's flags: n2 runs with group commit, n1 and n3 one event per fsync, so both host
 * paths face the faults; small thresholds make protocol snapshots (for a protocol that takes them:
 * Raft's, and InstallSnapshot to a restarted node) and WAL compaction happen under the SIGKILLs. */
function nodeFlags(kit: AnyKit): (id: string) => string[] {
  return (id) => [...(id === "n2" ? ["--batch-events", "16"] : []), ...(snapshots(kit) ? ["--snapshot-every-entries", "300"] : []), "--compact-wal-bytes", "65536"];
}

/** Records a lincheck JSON history; JavaScript runs one callback at a time, so push order is real-time order. */
class HistoryRecorder {
  readonly events: HistoryEvent[] = [];
  invoke(process: number, f: string, key: string, value: HistoryEvent["value"]): void {
    this.events.push({ process, type: "invoke", f, key, value });
  }
  complete(process: number, type: "ok" | "fail" | "info", f: string, key: string, value: HistoryEvent["value"]): void {
    this.events.push({ process, type, f, key, value });
  }
}

function toHistoryOp(req: KvRequest): { f: string; value: HistoryEvent["value"] } {
  switch (req.op) {
    case "get":
      return { f: "get", value: null };
    case "put":
      return { f: "put", value: req.value };
    case "delete": // the kv model has no delete: it is a write of the absent value
      return { f: "put", value: null };
    case "cas":
      return { f: "cas", value: [req.expected, req.value] };
  }
}

function completionValue(req: KvRequest, out: ClientOutcome<KvReply> & { status: "ok" }): HistoryEvent["value"] {
  const r = out.result;
  switch (req.op) {
    case "get":
      return "value" in r ? (r.value ?? null) : null;
    case "put":
    case "delete":
      return null;
    case "cas":
      return "ok" in r ? r.ok : false;
  }
}

it("the registry offers at least two protocols serving the key-value store", () => {
  expect(KV_KITS.length).toBeGreaterThanOrEqual(2);
});

describe.each(KV_KITS.map((kit) => [kit.title, kit] as const))("a 3-node %s cluster of real processes", (_title, kit) => {
  it("stays linearizable and loses no acknowledged write across SIGKILLs of the leader and a follower", async () => {
    const seed = Number(process.env.SEED ?? Date.now() % 2 ** 31);
    console.log(`cluster test (${kit.name}): SEED=${seed}`);
    const rng = seededRng(seed);
    const c = await makeCluster({ flags: nodeFlags(kit), proxied: true, protocol: kit.name });
    for (const id of IDS) await c.start(id);

    const history = new HistoryRecorder();
    const keys = ["a", "b", "c"];
    const acknowledgedUnique = new Map<string, string>();
    let lastLeader: string | null = null;
    let stop = false;
    let opsOk = 0;
    let opsInfo = 0;
    let nextProcess = 0;

    const worker = async (w: number): Promise<void> => {
      let client = new ClusterClient<KvRequest, KvReply>({ cluster: c.clientAddrs, attemptTimeoutMs: 500, retryDelayMs: 20 });
      clients.push(client);
      let processId = nextProcess++;
      const lastSeen = new Map<string, string | null>();
      for (let n = 0; !stop; n++) {
        const key = keys[rng.nextInt(0, keys.length - 1)]!;
        const dice = rng.nextInt(0, 99);
        const fresh = `w${w}-${n}`;
        const req: KvRequest =
          n % 10 === 9
            ? { op: "put", key: `u-${fresh}`, value: fresh } // written once: must be readable at the end
            : dice < 40
              ? { op: "get", key }
              : dice < 70
                ? { op: "put", key, value: fresh }
                : dice < 95
                  ? { op: "cas", key, expected: lastSeen.get(key) ?? null, value: fresh }
                  : { op: "delete", key };
        const { f, value } = toHistoryOp(req);
        history.invoke(processId, f, req.key, value);
        const out = await client.request(req, 2000);
        switch (out.status) {
          case "ok": {
            opsOk++;
            if (out.nodeId) lastLeader = out.nodeId;
            const v = completionValue(req, out);
            history.complete(processId, "ok", f, req.key, v);
            if (req.op === "get") lastSeen.set(req.key, v as string | null);
            if (req.op === "put" && req.key.startsWith("u-")) acknowledgedUnique.set(req.key, req.value);
            break;
          }
          case "rejected":
            history.complete(processId, "fail", f, req.key, null);
            break;
          case "timeout":
            // Unknown outcome: Jepsen's convention retires the process; continue as a new one.
            opsInfo++;
            history.complete(processId, "info", f, req.key, null);
            processId = nextProcess++;
            client.close();
            client = new ClusterClient<KvRequest, KvReply>({ cluster: c.clientAddrs, attemptTimeoutMs: 500, retryDelayMs: 20 });
            clients.push(client);
            break;
        }
      }
    };

    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const workers = [0, 1, 2, 3].map((w) => worker(w));
    const faults = (async () => {
      await sleep(1500);
      for (let round = 1; round <= ROUNDS; round++) {
        const leader = await waitFor("a leader to be known", () => lastLeader);
        console.log(`cluster test: round ${round}: SIGKILL leader ${leader}`);
        await c.kill(leader);
        await sleep(1500);
        await c.start(leader);
        await sleep(1500);
        // A follower that has been up all along, so both restarts recover a different node.
        const follower = IDS.find((id) => id !== lastLeader && id !== leader) ?? IDS.find((id) => id !== lastLeader)!;
        console.log(`cluster test: round ${round}: SIGKILL follower ${follower} (leader ${lastLeader})`);
        await c.kill(follower);
        await sleep(1500);
        await c.start(follower);
        await sleep(1500);
        // A paused leader is deposed meanwhile and wakes up believing it still leads: it must not
        // answer a read or a write from its stale view.
        const paused = lastLeader!;
        console.log(`cluster test: round ${round}: SIGSTOP leader ${paused} for 1.2 s`);
        running.get(paused)!.child.kill("SIGSTOP");
        await sleep(1200);
        running.get(paused)!.child.kill("SIGCONT");
        await sleep(1000);
        // A network partition: the leader is cut off from both peers (its clients still reach it).
        const cut = lastLeader!;
        console.log(`cluster test: round ${round}: partition leader ${cut} from its peers for 1.5 s`);
        c.isolate(cut);
        await sleep(1500);
        c.isolate(null);
        await sleep(1000);
      }
      stop = true;
    })();
    await faults;
    await Promise.all(workers);

    // Final reads, in the history too, of every key and every acknowledged unique key; then the
    // whole cluster is SIGKILLed at once and restarted, and everything is read again: what was
    // acknowledged must come back from the three data directories alone.
    const lost: string[] = [];
    const readAll = async (label: string): Promise<void> => {
      const reader = new ClusterClient<KvRequest, KvReply>({ cluster: c.clientAddrs });
      clients.push(reader);
      const readProcess = nextProcess++;
      for (const key of [...keys, ...acknowledgedUnique.keys()]) {
        history.invoke(readProcess, "get", key, null);
        const out = await reader.request({ op: "get", key }, 10_000);
        expect(out.status, `${label} read of ${key}`).toBe("ok");
        const v = out.status === "ok" && "value" in out.result ? (out.result.value ?? null) : null;
        history.complete(readProcess, "ok", "get", key, v);
        const want = acknowledgedUnique.get(key);
        if (want !== undefined && v !== want) lost.push(`${label}: ${key}: wrote ${want}, read ${v}`);
      }
      reader.close();
    };
    await readAll("final");
    console.log("cluster test: SIGKILL all three nodes, restart all three");
    await Promise.all(IDS.map((id) => c.kill(id)));
    for (const id of IDS) await c.start(id);
    await readAll("after full restart");

    console.log(`cluster test: ${opsOk} ok, ${opsInfo} unknown-outcome operations, ${acknowledgedUnique.size} unique acknowledged writes`);
    expect(lost, "acknowledged writes lost").toEqual([]);
    expect(opsOk).toBeGreaterThan(100);
    expect(acknowledgedUnique.size).toBeGreaterThan(5);

    const result = checkHistory(history.events, kv(), { timeoutMs: 30_000 });
    if (result.verdict !== "ok") {
      const file = path.join(os.tmpdir(), `synod-cluster-history-${seed}.json`);
      fs.writeFileSync(file, JSON.stringify(history.events, null, 1));
      console.error(`cluster test: history not linearizable (SEED=${seed}); history in ${file}`);
      if (result.verdict === "illegal") console.error(result.explanation);
    }
    expect(result.verdict).toBe("ok");
    // The same history with one final read changed must be caught: the check is not vacuous.
    const tampered = history.events.map((e, i) =>
      i === history.events.length - 1 ? { ...e, value: "a value nobody wrote" } : e,
    );
    expect(checkHistory(tampered, kv(), { timeoutMs: 30_000 }).verdict).toBe("illegal");

    // The CLI client against the same cluster, end to end.
    const put = await runSynod(["kv", "--cluster", c.clusterArg, "put", "cli", "x1"]);
    expect(put).toMatchObject({ code: 0, stdout: "OK\n" });
    expect(await runSynod(["kv", "--cluster", c.clusterArg, "cas", "cli", "x1", "x2"])).toMatchObject({ code: 0, stdout: "OK\n" });
    const failedCas = await runSynod(["kv", "--cluster", c.clusterArg, "cas", "cli", "x1", "x3"]);
    expect(failedCas.code).toBe(1);
    expect(failedCas.output).toContain('cas failed: cli is "x2"');
    expect(await runSynod(["kv", "--cluster", c.clusterArg, "get", "cli"])).toMatchObject({ code: 0, stdout: "x2\n" });
    // A retry with the same client id and seq is applied once: the second answer is the first one's.
    const retryArgs = ["kv", "--cluster", c.clusterArg, "--client-id", "cli-retry", "--seq", "1", "--json", "cas", "cli", "x2", "x4"];
    const first = JSON.parse((await runSynod(retryArgs)).stdout) as { result: { ok: boolean } };
    const second = JSON.parse((await runSynod(retryArgs)).stdout) as { result: { ok: boolean } };
    expect(first.result.ok).toBe(true);
    expect(second.result.ok).toBe(true);
    expect(await runSynod(["kv", "--cluster", c.clusterArg, "get", "cli"])).toMatchObject({ code: 0, stdout: "x4\n" });

    // A second process on a live node's data directory is refused before it touches the files.
    const holder = IDS.find((id) => running.has(id))!;
    const intruder = await runSynod(["serve", kit.name, "--id", holder, "--peers", c.peersArg.replace(/:(\d+)/g, (_m, p: string) => `:${Number(p) + 1}`), "--client-port", "1", "--data", c.dataDir(holder)]);
    expect(intruder.code).toBe(1);
    expect(intruder.output).toContain(`is in use by process ${running.get(holder)!.child.pid}`);

    // Storage damage: a torn tail is dropped and the node rejoins; a flipped bit before the tail stops it.
    const victim = IDS.find((id) => running.has(id))!;
    await c.kill(victim);
    // The run exercised the WAL's compaction (generation > 0), and the protocol's own snapshots
    // where it takes them (Raft's).
    const recovered = FileStorage.open({ dir: c.dataDir(victim), log: () => {} });
    expect(recovered.recovery.generation).toBeGreaterThan(0);
    if (snapshots(kit)) expect([...recovered.state.keys()].some((k) => k.endsWith("/snapshot"))).toBe(true);
    recovered.close();
    const walPath = (id: string) => {
      const dir = c.dataDir(id);
      return path.join(dir, fs.readdirSync(dir).find((n) => n.startsWith("wal-"))!);
    };
    fs.appendFileSync(walPath(victim), Buffer.from([0, 0, 1, 0, 0x12, 0x34]));
    const restarted = await c.start(victim);
    expect(restarted.output()).toMatch(/dropped a torn tail of 6 bytes/);
    expect(await runSynod(["kv", "--cluster", c.clusterArg, "get", "cli"])).toMatchObject({ code: 0, stdout: "x4\n" });
    await c.kill(victim);
    // Flip a bit inside the first of several WAL records (or, if a compaction just emptied the WAL,
    // inside the snapshot): either is an acknowledged record, so the node must refuse to start.
    const wal = fs.readFileSync(walPath(victim));
    const records = scanRecords(wal, FILE_HEADER_BYTES, walPath(victim)).records;
    const target = records.length >= 2 ? walPath(victim) : walPath(victim).replace(/wal-(\d+)\.log$/, "snap-$1.snap");
    const bytes = fs.readFileSync(target);
    bytes[(records.length >= 2 ? records[0]!.offset : FILE_HEADER_BYTES) + RECORD_HEADER_BYTES + 2]! ^= 0x04;
    fs.writeFileSync(target, bytes);
    const refused = await runSynod(["serve", kit.name, "--id", victim, "--peers", c.peersArg, "--client-port", String(c.clientAddrs[IDS.indexOf(victim as (typeof IDS)[number])]!.port), "--data", c.dataDir(victim)]);
    expect(refused.code).toBe(3);
    expect(refused.output).toContain(`refusing to start: durable state in ${c.dataDir(victim)} is damaged: ${target}: offset`);
    expect(refused.output).toMatch(/CRC mismatch/);
  }, 60_000 + ROUNDS * 20_000);
});
