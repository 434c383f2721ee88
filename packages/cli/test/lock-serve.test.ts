/**
 * `synod serve lock` through the committed bin: Redlock with every node a process of its own (3
 * stores, the token counter, the storage, 2 lock clients). Two clients contend round after round;
 * a store is SIGKILLed (2 of 3 still make a majority) and later restarted; a lock client is
 * SIGKILLed and restarted and takes the lock again. The tokens are distinct, the storage's log is
 * in token order (the mutual-exclusion judge passes), and keys are deleted on release: a lone
 * client's works back to back each take far less than the lease. A layout that does not match
 * `--peers`, and a tuning flag Redlock has no use for, are usage errors naming the flag.
 */
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { queryStatus } from "../src/index.js";
import { freePorts, tempDir } from "./helpers.js";
import { runSynod } from "./processes.js";
import { LockHistory, servedLock, type ServedLock } from "./served-lock.js";

const IDS = ["n1", "n2", "n3", "n4", "n5", "n6", "n7"];
// A 2 s lease: a holder that waited it out could not do 5 works in the time checked below.
const LAYOUT = { stores: ["n1", "n2", "n3"], counter: "n4", storage: "n5", clients: ["n6", "n7"], tickMs: 10, ttlTicks: 200, workMs: 5, resendMs: 200, retryDelayMs: 100 };
const clusters: ServedLock[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const c of clusters) await c.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("synod serve lock", () => {
  it("serves Redlock over TCP: contention, keys deleted on release, a killed store, a killed and restarted client", async () => {
    const cl = await servedLock("lock", IDS, (id) => ["--protocol-options", JSON.stringify(LAYOUT), "--seed", String(IDS.indexOf(id) + 1)]);
    clusters.push(cl);
    for (const id of IDS) await cl.start(id);
    const h = new LockHistory(cl);
    const round = (tag: string) => Promise.all([h.work("n6", `${tag}-a`, 30_000), h.work("n7", `${tag}-b`, 30_000)]);

    // Keys are deleted on release: five works back to back by one client in less than one lease.
    const lone = Date.now();
    for (let k = 0; k < 5; k++) await h.work("n6", `lone-${k}`);
    expect(Date.now() - lone).toBeLessThan(LAYOUT.tickMs * LAYOUT.ttlTicks);
    await round("r1");
    await round("r2");
    await cl.kill("n2");
    await round("r3"); // n1 and n3 are a majority
    h.forget("n6");
    await cl.kill("n6");
    await cl.start("n6");
    await round("r4");
    await cl.start("n2");
    await round("r5");
    const st = await queryStatus({ host: "127.0.0.1", port: cl.clientPort("n1") }, 2000);
    expect(st.ok && st.answer.status.role).toBe("store");

    const { writes, verdict } = await h.judge("n5");
    expect(writes).toHaveLength(15);
    expect(new Set(writes.map((w) => w.token)).size).toBe(15);
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ verdict: "ok" });
    h.close();
  }, 180_000);

  it("refuses a layout that does not match --peers, and a tuning flag, naming the flag", async () => {
    const [a, b] = await freePorts(2);
    const root = tempDir("synod-lock-bad-");
    dirs.push(root);
    const r = await runSynod(["serve", "lock", "--id", "n1", "--peers", `n1=127.0.0.1:${a}`, "--client-port", String(b), "--data", root, "--protocol-options", JSON.stringify(LAYOUT)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--peers: the layout in --protocol-options names n2, n3, n4, n5, n6, n7, which --peers does not list");
    const t = await runSynod(["serve", "lock", "--id", "n1", "--peers", `n1=127.0.0.1:${a}`, "--client-port", String(b), "--data", root, "--protocol-options", JSON.stringify(LAYOUT), "--heartbeat-ms", "100"]);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain("--heartbeat-ms");
  });
});
