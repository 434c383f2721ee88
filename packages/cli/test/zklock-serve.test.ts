/**
 * `synod serve zklock` through the committed bin: the ZooKeeper lock recipe with every node a
 * process of its own (3 Raft replicas of the tree, the storage, 2 lock clients). Two clients
 * contend; the tokens are distinct and the storage's log is in token order (the mutual-exclusion
 * judge passes); the Raft leader is SIGKILLed and the lock still goes round; a lock client is
 * SIGKILLed and restarted and takes the lock again under a new session. A layout that does not
 * match `--peers` is a usage error naming `--peers`.
 */
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { queryStatus } from "../src/index.js";
import { freePorts, tempDir } from "./helpers.js";
import { runSynod } from "./processes.js";
import { LockHistory, servedLock, type ServedLock } from "./served-lock.js";

const IDS = ["n1", "n2", "n3", "n4", "n5", "n6"];
const LAYOUT = { coord: ["n1", "n2", "n3"], storage: "n4", clients: ["n5", "n6"], sessionTtlMs: 3000, heartbeatMs: 500, expireEveryMs: 100, workMs: 20, resendMs: 200 };
const clusters: ServedLock[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const c of clusters) await c.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("synod serve zklock", () => {
  it("serves the lock recipe over TCP: contention, a killed Raft leader, a killed and restarted client", async () => {
    const cl = await servedLock("zklock", IDS, () => ["--protocol-options", JSON.stringify(LAYOUT), "--election-timeout-ms", "600-1200", "--heartbeat-ms", "100"]);
    clusters.push(cl);
    for (const id of IDS) await cl.start(id);
    const leader = async (): Promise<string | null> => {
      for (const id of LAYOUT.coord) {
        if (!cl.alive(id)) continue;
        const s = await queryStatus({ host: "127.0.0.1", port: cl.clientPort(id) }, 1000);
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

    const h = new LockHistory(cl);
    const round = (tag: string) => Promise.all([h.work("n5", `${tag}-a`), h.work("n6", `${tag}-b`)]);

    await round("r1");
    await round("r2");
    await cl.kill(first!);
    await round("r3"); // through the new leader, once elected
    h.forget("n5");
    await cl.kill("n5");
    await cl.start("n5");
    await round("r4");
    await cl.start(first!);
    // The tree's Raft log moved, and the leader's status says so.
    const now = await leader();
    expect(now).not.toBeNull();
    const st = await queryStatus({ host: "127.0.0.1", port: cl.clientPort(now!) }, 2000);
    expect(st.ok && st.answer.status.commitIndex > 8 && st.answer.status.appliedIndex > 8 && st.answer.status.leaderId === now).toBe(true);

    const { writes, verdict } = await h.judge("n4");
    expect(writes).toHaveLength(8);
    expect(new Set(writes.map((w) => w.token)).size).toBe(8);
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ verdict: "ok" });
    h.close();
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
