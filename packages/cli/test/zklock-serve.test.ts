/**
 * `synod serve zklock` through the committed bin: the ZooKeeper lock recipe with every node a
 * process of its own (3 Raft replicas of the tree, the storage, 2 lock clients). Two clients
 * contend; the tokens are distinct and the storage's log is in token order (the mutual-exclusion
 * judge passes); the Raft leader is SIGKILLed and the lock still goes round; a lock client is
 * SIGKILLed and restarted and takes the lock again under a new session. A layout that does not
 * match `--peers` is a usage error naming `--peers`.
 */
import fs from "node:fs";
import { mutualExclusion, type HistoryEvent } from "@synod/conformance";
import { afterAll, describe, expect, it } from "vitest";
import { ClusterClient, queryStatus } from "../src/index.js";
import { freePorts, tempDir, waitFor } from "./helpers.js";
import { runSynod, spawnSynod, type SynodProcess } from "./processes.js";

const IDS = ["n1", "n2", "n3", "n4", "n5", "n6"];
const LAYOUT = { coord: ["n1", "n2", "n3"], storage: "n4", clients: ["n5", "n6"], sessionTtlMs: 3000, heartbeatMs: 500, expireEveryMs: 100, workMs: 20, resendMs: 200 };
const procs = new Map<string, SynodProcess>();
const everyProc: SynodProcess[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const p of everyProc) p.child.kill("SIGKILL");
  await Promise.all(everyProc.map((p) => p.exited));
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("synod serve zklock", () => {
  it("serves the lock recipe over TCP: contention, a killed Raft leader, a killed and restarted client", async () => {
    const ports = await freePorts(2 * IDS.length);
    const root = tempDir("synod-zklock-");
    dirs.push(root);
    const peers = IDS.map((id, k) => `${id}=127.0.0.1:${ports[k]}`).join(",");
    const clientPort = (id: string): number => ports[IDS.length + IDS.indexOf(id)]!;
    const start = async (id: string): Promise<void> => {
      const p = spawnSynod(["serve", "zklock", "--id", id, "--peers", peers, "--client-port", String(clientPort(id)), "--data", `${root}/${id}`, "--protocol-options", JSON.stringify(LAYOUT), "--election-timeout-ms", "600-1200", "--heartbeat-ms", "100"]);
      procs.set(id, p);
      everyProc.push(p);
      await waitFor(`${id} to serve`, () => p.output().includes("serving zklock") || p.child.exitCode !== null, 20_000);
      if (p.child.exitCode !== null) throw new Error(`${id} exited ${p.child.exitCode}: ${p.output()}`);
    };
    const kill = async (id: string): Promise<void> => {
      const p = procs.get(id)!;
      p.child.kill("SIGKILL");
      await p.exited;
    };
    for (const id of IDS) await start(id);
    const leader = async (): Promise<string | null> => {
      for (const id of LAYOUT.coord) {
        if (procs.get(id)!.child.exitCode !== null || procs.get(id)!.child.signalCode !== null) continue;
        const s = await queryStatus({ host: "127.0.0.1", port: clientPort(id) }, 1000);
        if (s.ok && s.answer.status.leader) return id;
      }
      return null;
    };
    let first: string | null = null;
    for (let k = 0; k < 200 && first === null; k++) {
      first = await leader();
      if (first === null) await new Promise((r) => setTimeout(r, 100));
    }
    expect(first).not.toBeNull();

    const history: HistoryEvent[] = [];
    const t0 = Date.now();
    let generation = 0;
    const clients = new Map<string, ClusterClient<unknown, { attempt: string; token: number; accepted: boolean }>>();
    const client = (id: string) => {
      let c = clients.get(id);
      if (c === undefined) {
        c = new ClusterClient({ cluster: [{ host: "127.0.0.1", port: clientPort(id) }], clientId: `test-${id}-${++generation}` });
        clients.set(id, c);
      }
      return c;
    };
    const work = async (id: string, value: string): Promise<void> => {
      history.push({ type: "invoke", process: id, f: "work", value, time: (Date.now() - t0) * 1e6 } as HistoryEvent);
      const out = await client(id).request({ op: "work", value }, 20_000);
      expect(out.status, `${id} ${value}: ${JSON.stringify(out)}`).toBe("ok");
      if (out.status !== "ok") return;
      history.push({ type: "ok", process: id, f: "work", value: out.result, time: (Date.now() - t0) * 1e6 } as HistoryEvent);
    };
    const round = (tag: string) => Promise.all([work("n5", `${tag}-a`), work("n6", `${tag}-b`)]);

    await round("r1");
    await round("r2");
    await kill(first!);
    await round("r3"); // through the new leader, once elected
    clients.get("n5")!.close();
    clients.delete("n5");
    await kill("n5");
    await start("n5");
    await round("r4");
    await start(first!);
    // The tree's Raft log moved, and the leader's status says so.
    const now = await leader();
    expect(now).not.toBeNull();
    const st = await queryStatus({ host: "127.0.0.1", port: clientPort(now!) }, 2000);
    expect(st.ok && st.answer.status.commitIndex > 8 && st.answer.status.appliedIndex > 8 && st.answer.status.leaderId === now).toBe(true);

    const log = await client("n4").request({ op: "log" }, 10_000);
    expect(log.status).toBe("ok");
    history.push({ type: "invoke", process: "n4", f: "log", value: null, time: (Date.now() - t0) * 1e6 } as HistoryEvent);
    history.push({ type: "ok", process: "n4", f: "log", value: (log as { result: unknown }).result, time: (Date.now() - t0) * 1e6 } as HistoryEvent);
    const writes = (log as { result: { writes: { token: number }[] } }).result.writes;
    expect(writes).toHaveLength(8);
    expect(new Set(writes.map((w) => w.token)).size).toBe(8);
    const verdict = mutualExclusion().check(history, { timeoutMs: 10_000 });
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ verdict: "ok" });
    for (const c of clients.values()) c.close();
  }, 180_000);

  it("refuses a layout that does not match --peers, naming --peers", async () => {
    const [a, b] = await freePorts(2);
    const root = tempDir("synod-zklock-bad-");
    dirs.push(root);
    const r = await runSynod(["serve", "zklock", "--id", "n1", "--peers", `n1=127.0.0.1:${a}`, "--client-port", String(b), "--data", root, "--protocol-options", JSON.stringify(LAYOUT)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--peers: the layout in --protocol-options names n2, n3, n4, n5, n6, which --peers does not list");
  });
});
