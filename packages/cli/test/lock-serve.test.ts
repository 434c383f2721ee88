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
import { mutualExclusion, type HistoryEvent } from "@synod/conformance";
import { afterAll, describe, expect, it } from "vitest";
import { ClusterClient, queryStatus } from "../src/index.js";
import { freePorts, tempDir, waitFor } from "./helpers.js";
import { runSynod, spawnSynod, type SynodProcess } from "./processes.js";

const IDS = ["n1", "n2", "n3", "n4", "n5", "n6", "n7"];
// A 2 s lease: a holder that waited it out could not do 5 works in the time checked below.
const LAYOUT = { stores: ["n1", "n2", "n3"], counter: "n4", storage: "n5", clients: ["n6", "n7"], tickMs: 10, ttlTicks: 200, workMs: 5, resendMs: 200, retryDelayMs: 100 };
const procs = new Map<string, SynodProcess>();
const everyProc: SynodProcess[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const p of everyProc) p.child.kill("SIGKILL");
  await Promise.all(everyProc.map((p) => p.exited));
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("synod serve lock", () => {
  it("serves Redlock over TCP: contention, keys deleted on release, a killed store, a killed and restarted client", async () => {
    const ports = await freePorts(2 * IDS.length);
    const root = tempDir("synod-lock-");
    dirs.push(root);
    const peers = IDS.map((id, k) => `${id}=127.0.0.1:${ports[k]}`).join(",");
    const clientPort = (id: string): number => ports[IDS.length + IDS.indexOf(id)]!;
    const start = async (id: string): Promise<void> => {
      const p = spawnSynod(["serve", "lock", "--id", id, "--peers", peers, "--client-port", String(clientPort(id)), "--data", `${root}/${id}`, "--protocol-options", JSON.stringify(LAYOUT), "--seed", String(IDS.indexOf(id) + 1)]);
      procs.set(id, p);
      everyProc.push(p);
      await waitFor(`${id} to serve`, () => p.output().includes("serving lock") || p.child.exitCode !== null, 20_000);
      if (p.child.exitCode !== null) throw new Error(`${id} exited ${p.child.exitCode}: ${p.output()}`);
    };
    const kill = async (id: string): Promise<void> => {
      const p = procs.get(id)!;
      p.child.kill("SIGKILL");
      await p.exited;
    };
    for (const id of IDS) await start(id);

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
      const out = await client(id).request({ op: "work", value }, 30_000);
      expect(out.status, `${id} ${value}: ${JSON.stringify(out)}`).toBe("ok");
      if (out.status !== "ok") return;
      history.push({ type: "ok", process: id, f: "work", value: out.result, time: (Date.now() - t0) * 1e6 } as HistoryEvent);
    };
    const round = (tag: string) => Promise.all([work("n6", `${tag}-a`), work("n7", `${tag}-b`)]);

    // Keys are deleted on release: five works back to back by one client in less than one lease.
    const lone = Date.now();
    for (let k = 0; k < 5; k++) await work("n6", `lone-${k}`);
    expect(Date.now() - lone).toBeLessThan(LAYOUT.tickMs * LAYOUT.ttlTicks);
    await round("r1");
    await round("r2");
    await kill("n2");
    await round("r3"); // n1 and n3 are a majority
    clients.get("n6")!.close();
    clients.delete("n6");
    await kill("n6");
    await start("n6");
    await round("r4");
    await start("n2");
    await round("r5");
    const st = await queryStatus({ host: "127.0.0.1", port: clientPort("n1") }, 2000);
    expect(st.ok && st.answer.status.role).toBe("store");

    const log = await client("n5").request({ op: "log" }, 10_000);
    expect(log.status).toBe("ok");
    history.push({ type: "invoke", process: "n5", f: "log", value: null, time: (Date.now() - t0) * 1e6 } as HistoryEvent);
    history.push({ type: "ok", process: "n5", f: "log", value: (log as { result: unknown }).result, time: (Date.now() - t0) * 1e6 } as HistoryEvent);
    const writes = (log as { result: { writes: { token: number }[] } }).result.writes;
    expect(writes).toHaveLength(15);
    expect(new Set(writes.map((w) => w.token)).size).toBe(15);
    const verdict = mutualExclusion().check(history, { timeoutMs: 10_000 });
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ verdict: "ok" });
    for (const c of clients.values()) c.close();
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
